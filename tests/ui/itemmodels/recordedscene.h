// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "poller/pollbatch.h"

#include <cstdint>
#include <QObject>
#include <QString>
#include <vector>

namespace sockscope::test {

// Real sockets on loopback port 9000 of a private network namespace, moved step
// by step, with one poll of the real Poller (tracing off) after each step; its batches are what
// the item model tests feed their models:
//   0 a listener on 127.0.0.1:9000 (the initial snapshot)
//   1 client A (ephemeral port) and client B (fixed port 10001) connect: ESTABLISHED
//   2 the server closes B: FIN_WAIT2 on 9000's side, CLOSE_WAIT on 10001's
//   3 client C (ephemeral port) connects: ESTABLISHED
//   4 C closes first, then the server: C in TIME_WAIT, the server's end gone
struct RecordedScene
{
    static constexpr std::uint16_t kServerPort = 9000;
    static constexpr std::uint16_t kFixedClientPort = 10001;
    std::vector<PollBatch> batches; // one per step
    std::uint16_t clientA = 0;
    std::uint16_t clientC = 0;
};

// Plays and records the scene; false with `failure` set when it cannot (not in a
// private network namespace, a socket call failed, a poll never came).
bool recordScene(RecordedScene *scene, QString *failure);

// A test object whose test functions read the scene: it is recorded once,
// before the first of them, or they are all skipped with the reason.
class RecordedSceneTest : public QObject
{
    Q_OBJECT
protected:
    const RecordedScene &scene() const { return m_scene; }

private Q_SLOTS:
    void initTestCase();

private:
    RecordedScene m_scene;
};

} // namespace sockscope::test

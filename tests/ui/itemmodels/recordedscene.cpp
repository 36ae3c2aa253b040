// SPDX-License-Identifier: GPL-3.0-or-later
#include "recordedscene.h"

#include "loopback.h"
#include "netns.h"
#include "poller/poller.h"

#include <QTest>

namespace sockscope::test {

namespace {
constexpr int kTimeoutMs = 5000;

// One poll, taken once the kernel has settled the last step (loopback
// handshakes and closes finish within microseconds).
bool pollOnce(Poller &poller, RecordedScene *scene, QString *failure)
{
    QTest::qWait(100);
    const std::size_t before = scene->batches.size();
    poller.pollNow();
    if (QTest::qWaitFor([&] { return scene->batches.size() > before; }, kTimeoutMs))
        return true;
    *failure = QStringLiteral("no batch within %1 ms of a poll").arg(kTimeoutMs);
    return false;
}

struct Pair
{
    UniqueFd client;
    UniqueFd server;
};

bool connectPair(UniqueFd &listener, std::uint16_t fromPort, Pair *pair, QString *failure)
{
    pair->client = connectTo(RecordedScene::kServerPort, false, fromPort, fromPort != 0);
    pair->server = acceptOne(listener.get());
    if (pair->client.valid() && pair->server.valid())
        return true;
    *failure = QStringLiteral("connecting to port %1 failed").arg(RecordedScene::kServerPort);
    return false;
}
} // namespace

bool recordScene(RecordedScene *scene, QString *failure)
{
    if (!inPrivateNetwork()) {
        *failure = QStringLiteral("needs a private network namespace: ") +
                   privateNetworkUnavailableReason();
        return false;
    }
    UniqueFd listener = listenOn(false, RecordedScene::kServerPort, true);
    if (!listener.valid()) {
        *failure = QStringLiteral("cannot listen on port %1").arg(RecordedScene::kServerPort);
        return false;
    }
    Poller poller;
    // One batch per step, as the models' tests read them: as root the trace
    // would hand out its own batches between the polls.
    poller.setTracing(false);
    QObject context;
    QObject::connect(&poller, &Poller::batchReady, &context,
                     [scene](const PollBatch &batch) { scene->batches.push_back(batch); });
    poller.setIntervalMs(Poller::kMaximumIntervalMs); // only the polls asked for
    poller.start();                                   // step 0: the first poll, at once
    if (!QTest::qWaitFor([&] { return !scene->batches.empty(); }, kTimeoutMs)) {
        *failure = QStringLiteral("the first poll never came");
        return false;
    }

    Pair a, b, c;
    bool played = connectPair(listener, 0, &a, failure) &&
                  connectPair(listener, RecordedScene::kFixedClientPort, &b, failure) &&
                  pollOnce(poller, scene, failure); // step 1
    if (played) {
        b.server.reset();
        played = pollOnce(poller, scene, failure) && // step 2
                 connectPair(listener, 0, &c, failure) && pollOnce(poller, scene, failure); // 3
    }
    if (played) {
        scene->clientA = localPort(a.client.get());
        scene->clientC = localPort(c.client.get());
        c.client.reset();
        QTest::qWait(50); // C's FIN and its answer, before the server closes
        c.server.reset();
        played = pollOnce(poller, scene, failure); // step 4
    }
    poller.stop();
    return played;
}

void RecordedSceneTest::initTestCase()
{
    QString failure;
    if (!recordScene(&m_scene, &failure))
        QSKIP(qPrintable(failure));
}

} // namespace sockscope::test

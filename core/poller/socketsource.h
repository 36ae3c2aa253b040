// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "poller/pollbatch.h"

#include <QObject>
#include <QString>

namespace sockscope {

// Where a window (or a command) gets its sockets from: this machine's kernel
// (Poller), another network namespace, or a server's agent over ssh. Every
// source emits the same PollBatches on the thread it lives on, so what shows
// them never knows, or waits for, where they come from. Slots may be called
// from any thread and never block the caller.
class SocketSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Starts delivering batches (the first as soon as it can).
    virtual void start() = 0;
    // Stops delivering and releases what start() took. Safe to call twice.
    virtual void stop() = 0;
    // Stops and deletes this source without the caller waiting for its thread
    // (a poll under way, an ssh session ending): what it holds is released on
    // that thread, then it deletes itself. How the window closes a tab: the
    // GUI thread never waits on the kernel, procfs or ssh. Nothing else may
    // be called on it afterwards; it emits nothing more.
    virtual void dispose();
    // What this source can see, for the status bar: this machine's privilege
    // (root sees every socket's owner), unless the source is elsewhere.
    virtual QString accessSummary() const;

public Q_SLOTS:
    virtual void setIntervalMs(int intervalMs) = 0;
    virtual void setPaused(bool paused) = 0;
    virtual void pollNow() = 0;
    // Also refresh this port's queues, timers and owners at the poll interval
    // (0: none), where the source can.
    virtual void setFocusPort(int port) = 0;

protected:
    // For dispose(): the receivers of these signals may go first. Others
    // (destroyed, for one) stay connected.
    void disconnectReceivers();

Q_SIGNALS:
    void batchReady(const sockscope::PollBatch &batch);
    // Getting sockets failed; the source keeps trying and the last batch
    // stands. The same failure again is not reported again...
    void pollFailed(const QString &message);
    // ...until a batch arrives after it: then this.
    void pollRecovered();
    // accessSummary() changed (a server answered).
    void accessChanged(const QString &summary);
};

} // namespace sockscope

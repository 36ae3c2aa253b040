// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "namednamespace.h"

#include <memory>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace sockscope::test {

// A network namespace of its own with known sockets in it: `sockscope lab`
// started inside (an `ip netns add` one, or `unshare -n`), listening on
// 127.0.0.1:PORT with one client connected (an established pair). The lab
// and the namespace go when this does, whatever the test's outcome.
class LabNamespace
{
public:
    enum class Kind
    {
        Named,   // ip netns add sockscope-test-PID-N
        Unshared // unshare -n: reachable by the lab's pid only
    };
    // Empty reason: ready. Otherwise why not (not root, no ip/unshare).
    LabNamespace(const QString &sockscopeBinary, Kind kind, quint16 port = 9000);
    ~LabNamespace();
    LabNamespace(const LabNamespace &) = delete;
    LabNamespace &operator=(const LabNamespace &) = delete;

    const QString &unavailable() const { return m_reason; }
    // Empty for Unshared.
    QString name() const { return m_named ? m_named->name() : QString(); }
    qint64 labPid() const { return m_lab.processId(); }
    quint16 port() const { return m_port; }
    // Sends one console line and returns its one-line answer ("ok ..." or
    // "error ..."), or an empty string after 10 s.
    QString command(const QString &line);
    // `ss -tanH` inside, as "STATE local remote" lines (sorted); ss's state
    // names (ESTAB, TIME-WAIT) turned into the kernel's (ESTABLISHED, TIME_WAIT).
    QStringList ssSockets() const;

private:
    QString m_reason;
    std::unique_ptr<NamedNamespace> m_named; // deleted after the lab (declared before it)
    quint16 m_port;
    QProcess m_lab;
};

} // namespace sockscope::test

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace sockscope::test {

// An `ip netns add` namespace of the test's own (sockscope-test-PID-N), with
// its loopback up or left down as a fresh namespace has it; deleted when this
// goes, whatever the test's outcome. The first one a process makes also
// deletes those of tests that were killed before their cleanup (their PID is
// gone).
class NamedNamespace
{
public:
    // Empty unavailable(): ready. Otherwise why not (not root, no ip).
    explicit NamedNamespace(bool loopbackUp = true);
    ~NamedNamespace();
    NamedNamespace(const NamedNamespace &) = delete;
    NamedNamespace &operator=(const NamedNamespace &) = delete;

    const QString &unavailable() const { return m_reason; }
    const QString &name() const { return m_name; }
    // `ip netns exec NAME ss -tanH` as ssLines() gives them.
    QStringList ssSockets() const;

private:
    QString m_reason;
    QString m_name;
};

// `ss -tanH` output as "STATE local remote" lines (sorted), with ss's state
// names (ESTAB, TIME-WAIT) turned into the kernel's (ESTABLISHED, TIME_WAIT).
QStringList ssLines(const QByteArray &output);

} // namespace sockscope::test

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <QByteArray>
#include <QString>

namespace sockscope {
class LabConsole;
}

namespace sockscope::cli {

// The agent's end of the remote lab (console/labjson.h): the lab requests a
// window writes on the agent's standard input, run through a lab console of
// this server when the agent was started with --lab, each answered on
// standard output among the batches. Without --lab every request is refused
// with how to ask for it: a window never opens sockets on a server unasked.
class AgentLab
{
public:
    using Writer = std::function<bool(const QByteArray &line)>;

    // serverExecutable: this sockscope, for the lab's server processes.
    AgentLab(bool enabled, QString serverExecutable, Writer write);
    ~AgentLab();

    bool enabled() const { return m_enabled; }
    // One line of standard input; false when the answer could not be written.
    bool handle(const QString &line);

private:
    void ensureConsole();

    bool m_enabled;
    QString m_executable;
    Writer m_write;
    std::unique_ptr<LabConsole> m_console;
};

} // namespace sockscope::cli

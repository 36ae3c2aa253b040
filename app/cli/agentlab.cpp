// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/agentlab.h"

#include "console/labconsole.h"
#include "console/labjson.h"
#include "lab/lab.h"
#include "remote/remoteaccess.h"

#include <cerrno>
#include <cstdio>

namespace sockscope::cli {

AgentLab::AgentLab(bool enabled, QString serverExecutable, Writer write)
    : m_enabled(enabled), m_executable(std::move(serverExecutable)), m_write(std::move(write))
{
}

// Closes what the lab opened on this server, gracefully, when the window goes.
AgentLab::~AgentLab() = default;

void AgentLab::ensureConsole()
{
    if (m_console)
        return;
    m_console = std::make_unique<LabConsole>(m_executable);
    QObject::connect(&m_console->lab(), &Lab::labEvent,
                     [this](const LabEvent &event) { m_write(labEventLine(event)); });
}

bool AgentLab::handle(const QString &text)
{
    const Result<LabRequest> request = parseLabRequest(text.toUtf8());
    if (!request) {
        // No request id to answer: the other end is not a window of ours.
        std::fprintf(stderr, "sockscope agent: %s\n", qPrintable(request.error().message));
        return true;
    }
    if (!m_enabled)
        return m_write(labAnswerLine(
            request->request,
            ConsoleAnswer::failure(Error{EPERM, remoteLabOffText(QStringLiteral("this server"))})));
    ensureConsole();
    const std::optional<ConsoleAnswer> answer = m_console->execute(request->line);
    const bool written =
        m_write(labAnswerLine(request->request, answer.value_or(ConsoleAnswer::success({}))));
    // `quit` closes what the lab opened; the agent goes on streaming, and the
    // next request finds a fresh lab.
    if (m_console->quitRequested()) {
        m_console->closeAll();
        m_console.reset();
    }
    return written;
}

} // namespace sockscope::cli

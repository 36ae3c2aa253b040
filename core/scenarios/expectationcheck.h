// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consoleanswer.h"
#include "owners/ownedsocket.h"
#include "scenarios/scenario.h"
#include "scenarios/transcript.h"

#include <cstdint>
#include <optional>
#include <QMap>
#include <vector>

namespace sockscope {

// Checks expectations against what a step produced. Port names resolve
// through `ports`; an unknown name never matches.
class ExpectationCheck
{
public:
    explicit ExpectationCheck(QMap<QString, std::uint16_t> ports);

    // Answer kinds (and the fds ones, which remember the baseline here).
    CheckResult checkAnswer(const Expectation &expectation, const ConsoleAnswer &answer);
    // Row / NoRow against the step's dump.
    CheckResult checkRows(const Expectation &expectation,
                          const std::vector<OwnedSocket> &sockets) const;
    QString describe(const Expectation &expectation) const;

private:
    std::uint16_t port(const QString &name) const;
    bool matches(const Expectation &e, const SocketRecord &socket) const;

    QMap<QString, std::uint16_t> m_ports;
    std::optional<int> m_fdsBaseline;
};

} // namespace sockscope

// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenarios/expectationcheck.h"

#include "format/ownertext.h"

#include <QRegularExpression>
#include <QSet>

namespace sockscope {

namespace {

std::optional<long long> keyValue(const QString &line, const QString &key)
{
    const QRegularExpression pattern(
        QStringLiteral("(?:^|\\s)%1=(\\d+)").arg(QRegularExpression::escape(key)));
    const auto match = pattern.match(line);
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(1).toLongLong();
}

bool holderMatches(Expectation::Holder holder, Ownership ownership)
{
    switch (holder) {
    case Expectation::Holder::Any:
        return true;
    case Expectation::Holder::Owned:
        return ownership == Ownership::Owned;
    case Expectation::Holder::Orphaned:
        return ownership == Ownership::Orphaned;
    case Expectation::Holder::NotOwned:
        return ownership != Ownership::Owned;
    }
    return false;
}

QString rowText(const OwnedSocket &entry)
{
    const SocketRecord &s = entry.socket;
    return QStringLiteral("%1 %2 → %3 Recv-Q %4 (%5)")
        .arg(tcpStateName(s.state), s.local.text(s.family), s.remote.text(s.family))
        .arg(s.recvQ)
        .arg(ownerText(entry.owner).left(80));
}

QString rowsText(const std::vector<const OwnedSocket *> &rows)
{
    QStringList parts;
    for (std::size_t i = 0; i < rows.size() && i < 3; ++i)
        parts << rowText(*rows[i]);
    if (rows.size() > 3)
        parts << QStringLiteral("%1 more").arg(rows.size() - 3);
    return parts.join(QStringLiteral("; "));
}

} // namespace

ExpectationCheck::ExpectationCheck(QMap<QString, std::uint16_t> ports) : m_ports(std::move(ports))
{
}

std::uint16_t ExpectationCheck::port(const QString &name) const
{
    return m_ports.value(name, 0);
}

QString ExpectationCheck::describe(const Expectation &expectation) const
{
    return expectation.describe([this](const QString &name) {
        const std::uint16_t number = port(name);
        return number == 0 ? name : QString::number(number);
    });
}

CheckResult ExpectationCheck::checkAnswer(const Expectation &e, const ConsoleAnswer &answer)
{
    CheckResult result{describe(e), false, answer.firstLine()};
    const QString line = answer.firstLine();
    switch (e.kind) {
    case Expectation::Kind::AnswerOk:
        result.passed = answer.ok;
        break;
    case Expectation::Kind::AnswerError:
        result.passed = !answer.ok && answer.errnoName == e.errnoName;
        break;
    case Expectation::Kind::AnswerMentions:
        result.passed = line.contains(e.text);
        break;
    case Expectation::Kind::AnswerAtLeast:
    case Expectation::Kind::AnswerAtMost: {
        const auto value = keyValue(line, e.text);
        result.passed = value && (e.kind == Expectation::Kind::AnswerAtLeast ? *value >= e.number
                                                                             : *value <= e.number);
        if (value)
            result.observed = QStringLiteral("%1=%2").arg(e.text).arg(*value);
        break;
    }
    case Expectation::Kind::Culprit: {
        const std::uint16_t wanted = port(e.port);
        if (answer.explanation) {
            for (const Culprit &culprit : answer.explanation->culprits) {
                if (culprit.socket.state == e.state && culprit.socket.local.port == wanted)
                    result.passed = true;
            }
        } else {
            // No structured explanation reached the console: the text must name it.
            result.passed = line.contains(tcpStateName(e.state)) &&
                            line.contains(QStringLiteral(":%1").arg(wanted));
        }
        break;
    }
    case Expectation::Kind::FdsBaseline:
    case Expectation::Kind::FdsBack: {
        const auto fds = keyValue(line, QStringLiteral("fds"));
        if (!fds)
            break;
        if (e.kind == Expectation::Kind::FdsBaseline) {
            m_fdsBaseline = static_cast<int>(*fds);
            result.passed = true;
        } else {
            result.passed = m_fdsBaseline && *m_fdsBaseline == *fds;
            result.observed =
                QStringLiteral("fds=%1, at the start fds=%2")
                    .arg(*fds)
                    .arg(m_fdsBaseline ? QString::number(*m_fdsBaseline) : QStringLiteral("?"));
        }
        break;
    }
    case Expectation::Kind::Row:
    case Expectation::Kind::NoRow:
        result.observed = QStringLiteral("a dump expectation checked against an answer");
        break;
    }
    return result;
}

bool ExpectationCheck::matches(const Expectation &e, const SocketRecord &s) const
{
    if (s.state != e.state)
        return false;
    const std::uint16_t wanted = port(e.port);
    const bool local = s.local.port == wanted;
    const bool remote = s.remote.port == wanted;
    switch (e.side) {
    case Expectation::Side::Local:
        if (!local)
            return false;
        break;
    case Expectation::Side::Remote:
        if (!remote)
            return false;
        break;
    case Expectation::Side::Either:
        if (!local && !remote)
            return false;
        break;
    }
    if (e.remotePort.isEmpty())
        return true;
    const std::uint16_t other = port(e.remotePort);
    return e.side == Expectation::Side::Remote ? s.local.port == other : s.remote.port == other;
}

CheckResult ExpectationCheck::checkRows(const Expectation &e,
                                        const std::vector<OwnedSocket> &sockets) const
{
    CheckResult result{describe(e), false, QString()};
    std::vector<const OwnedSocket *> candidates; // right state and ports
    std::vector<const OwnedSocket *> fitting;    // and the holder and queue asked for
    QSet<int> owners;
    for (const OwnedSocket &entry : sockets) {
        if (!matches(e, entry.socket))
            continue;
        candidates.push_back(&entry);
        if (!holderMatches(e.holder, entry.owner.ownership) ||
            (e.minRecvQ && entry.socket.recvQ < *e.minRecvQ) ||
            (e.maxRecvQ && entry.socket.recvQ > *e.maxRecvQ))
            continue;
        fitting.push_back(&entry);
        if (!entry.owner.owners.isEmpty())
            owners.insert(entry.owner.owners.first().pid);
    }
    if (e.kind == Expectation::Kind::NoRow) {
        result.passed = candidates.empty();
        result.observed = candidates.empty() ? QStringLiteral("none") : rowsText(candidates);
        return result;
    }
    result.passed = static_cast<int>(fitting.size()) >= e.minCount && owners.size() >= e.minOwners;
    if (candidates.empty()) {
        QStringList states;
        for (const OwnedSocket &entry : sockets)
            states << tcpStateName(entry.socket.state);
        states.removeDuplicates();
        result.observed =
            QStringLiteral("no %1 socket there (states on the ports: %2)")
                .arg(tcpStateName(e.state),
                     states.isEmpty() ? QStringLiteral("none") : states.join(QStringLiteral(", ")));
    } else {
        result.observed = QStringLiteral("%1 matching, %2 processes: %3")
                              .arg(fitting.size())
                              .arg(owners.size())
                              .arg(rowsText(candidates));
    }
    return result;
}

} // namespace sockscope

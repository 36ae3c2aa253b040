// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenarios/scenario.h"

namespace sockscope {

namespace {
Expectation with(Expectation e, const std::function<void(Expectation &)> &change)
{
    change(e);
    return e;
}

QString holderText(Expectation::Holder holder)
{
    switch (holder) {
    case Expectation::Holder::Any:
        return QString();
    case Expectation::Holder::Owned:
        return QStringLiteral(", held by a process");
    case Expectation::Holder::Orphaned:
        return QStringLiteral(", held by no process");
    case Expectation::Holder::NotOwned:
        return QStringLiteral(", held by no readable process");
    }
    return QString();
}

QString sideText(Expectation::Side side)
{
    switch (side) {
    case Expectation::Side::Local:
        return QStringLiteral("local port");
    case Expectation::Side::Remote:
        return QStringLiteral("remote port");
    case Expectation::Side::Either:
        break;
    }
    return QStringLiteral("port");
}
} // namespace

Expectation Expectation::owned() const
{
    return with(*this, [](Expectation &e) { e.holder = Holder::Owned; });
}

Expectation Expectation::orphaned() const
{
    return with(*this, [](Expectation &e) { e.holder = Holder::Orphaned; });
}

Expectation Expectation::notOwned() const
{
    return with(*this, [](Expectation &e) { e.holder = Holder::NotOwned; });
}

Expectation Expectation::atLeast(int count) const
{
    return with(*this, [count](Expectation &e) { e.minCount = count; });
}

Expectation Expectation::byOwners(int owners) const
{
    return with(*this, [owners](Expectation &e) { e.minOwners = owners; });
}

Expectation Expectation::recvQAtLeast(std::uint32_t value) const
{
    return with(*this, [value](Expectation &e) { e.minRecvQ = value; });
}

Expectation Expectation::recvQAtMost(std::uint32_t value) const
{
    return with(*this, [value](Expectation &e) { e.maxRecvQ = value; });
}

Expectation Expectation::towards(const QString &remote) const
{
    return with(*this, [&remote](Expectation &e) { e.remotePort = remote; });
}

Expectation Expectation::ofCommand(int index) const
{
    return with(*this, [index](Expectation &e) { e.command = index; });
}

bool Expectation::checksAnswer() const
{
    return kind != Kind::Row && kind != Kind::NoRow;
}

QString Expectation::describe(const std::function<QString(const QString &)> &portText) const
{
    const QString stateName = tcpStateName(state);
    switch (kind) {
    case Kind::AnswerOk:
        return QStringLiteral("the command succeeds");
    case Kind::AnswerError:
        return QStringLiteral("the command fails with %1").arg(errnoName);
    case Kind::AnswerMentions:
        return QStringLiteral("the answer says \"%1\"").arg(text);
    case Kind::AnswerAtLeast:
        return QStringLiteral("the answer reports %1 >= %2").arg(text).arg(number);
    case Kind::AnswerAtMost:
        return QStringLiteral("the answer reports %1 <= %2").arg(text).arg(number);
    case Kind::Culprit:
        return QStringLiteral("the explanation names the %1 socket on local port %2")
            .arg(stateName, portText(port));
    case Kind::FdsBaseline:
        return QStringLiteral("the lab's descriptors are counted");
    case Kind::FdsBack:
        return QStringLiteral("the lab holds as many descriptors as at the start");
    case Kind::Row:
    case Kind::NoRow:
        break;
    }
    QString subject = kind == Kind::NoRow ? QStringLiteral("no %1 socket").arg(stateName)
                      : minCount > 1
                          ? QStringLiteral("at least %1 %2 sockets").arg(minCount).arg(stateName)
                          : QStringLiteral("a %1 socket").arg(stateName);
    subject += QStringLiteral(" on %1 %2").arg(sideText(side), portText(port));
    if (!remotePort.isEmpty())
        subject += QStringLiteral(" towards port %1").arg(portText(remotePort));
    if (kind == Kind::Row) {
        subject += holderText(holder);
        if (minOwners > 1)
            subject += QStringLiteral(", held by %1 different processes").arg(minOwners);
        if (minRecvQ)
            subject += QStringLiteral(", Recv-Q >= %1").arg(*minRecvQ);
        if (maxRecvQ)
            subject += QStringLiteral(", Recv-Q <= %1").arg(*maxRecvQ);
    }
    return subject;
}

namespace expect {

Expectation ok()
{
    return {};
}

Expectation error(const QString &errnoName)
{
    Expectation e;
    e.kind = Expectation::Kind::AnswerError;
    e.errnoName = errnoName;
    return e;
}

Expectation mentions(const QString &text)
{
    Expectation e;
    e.kind = Expectation::Kind::AnswerMentions;
    e.text = text;
    return e;
}

Expectation atLeast(const QString &key, int value)
{
    Expectation e;
    e.kind = Expectation::Kind::AnswerAtLeast;
    e.text = key;
    e.number = value;
    return e;
}

Expectation atMost(const QString &key, int value)
{
    Expectation e = atLeast(key, value);
    e.kind = Expectation::Kind::AnswerAtMost;
    return e;
}

Expectation culprit(TcpState state, const QString &port)
{
    Expectation e;
    e.kind = Expectation::Kind::Culprit;
    e.state = state;
    e.port = port;
    return e;
}

Expectation row(TcpState state, const QString &port, Expectation::Side side)
{
    Expectation e;
    e.kind = Expectation::Kind::Row;
    e.state = state;
    e.port = port;
    e.side = side;
    return e;
}

Expectation noRow(TcpState state, const QString &port, Expectation::Side side)
{
    Expectation e = row(state, port, side);
    e.kind = Expectation::Kind::NoRow;
    return e;
}

Expectation fdsBaseline()
{
    Expectation e;
    e.kind = Expectation::Kind::FdsBaseline;
    return e;
}

Expectation fdsBack()
{
    Expectation e;
    e.kind = Expectation::Kind::FdsBack;
    return e;
}

} // namespace expect

} // namespace sockscope

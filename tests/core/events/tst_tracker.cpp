// SPDX-License-Identifier: GPL-3.0-or-later
// The tracker's bookkeeping, fed with records shaped like the kernel's. Real
// sockets driving it through the poller are in tst_poller.
//
// Each case is a script of polls and destroy notices; what the tracker reports
// is compared as text, one line per event or update:
//   "<time> <connection> <what> <state(s)> <source> cookie <n>[ initial]"
// where connections are named a, b, c... in the order they are first reported
// (the order of a snapshot's records or a notice's, which the script fixes).
#include "events/connectiontracker.h"
#include "loopback.h"

#include <algorithm>
#include <optional>
#include <QTest>

using namespace sockscope;

namespace {
SocketRecord record(std::uint64_t cookie, TcpState state, std::uint16_t localPort,
                    std::uint16_t remotePort, std::uint32_t inode = 1000)
{
    return test::loopbackRecord(cookie, state, localPort, remotePort, inode);
}

SocketRecord withRecvQ(SocketRecord r, std::uint32_t recvQ)
{
    r.recvQ = recvQ;
    return r;
}

SocketRecord timewaitCountdown(std::uint32_t expiresMs)
{
    SocketRecord r = record(1, TcpState::TimeWait, 40000, 9000, 0);
    r.timer = TimerKind::TimeWait;
    r.expiresMs = expiresMs;
    return r;
}

// One observation: a complete snapshot (apply) or destroy notices (applyDestroyed).
struct Step
{
    bool destroyNotice = false;
    std::int64_t timeMs = 0;
    std::vector<SocketRecord> records;
    std::optional<OwnerLookup> owner; // every socket's owner in this poll
};
using Script = QList<Step>;

Step poll(std::int64_t timeMs, std::vector<SocketRecord> records,
          std::optional<OwnerLookup> owner = {})
{
    return Step{false, timeMs, std::move(records), std::move(owner)};
}

Step notice(std::int64_t timeMs, std::vector<SocketRecord> records)
{
    return Step{true, timeMs, std::move(records), {}};
}

// Runs a script, naming connections a, b, c... as they first show up.
class Run
{
public:
    explicit Run(const Script &script)
    {
        for (const Step &step : script) {
            if (step.destroyNotice) {
                tracker.applyDestroyed(step.records, step.timeMs);
                continue;
            }
            ConnectionTracker::OwnerFunction owners;
            if (step.owner)
                owners = [owner = *step.owner](const SocketRecord &) { return owner; };
            const auto diff = tracker.apply(step.records, step.timeMs, owners);
            // Events of one kind in one diff come in the order of a hash:
            // compared sorted, while the kinds keep their order.
            qsizetype groupStart = lines.size();
            for (std::size_t i = 0; i < diff.events.size(); ++i) {
                if (i > 0 && diff.events[i].kind != diff.events[i - 1].kind) {
                    std::sort(lines.begin() + groupStart, lines.end());
                    groupStart = lines.size();
                }
                lines << describe(diff.events[i]);
            }
            std::sort(lines.begin() + groupStart, lines.end());
            for (const ConnectionView &view : diff.updated)
                lines << QStringLiteral("%1 %2 updated recv-q %3 %4")
                             .arg(step.timeMs)
                             .arg(name(view.id))
                             .arg(view.socket.recvQ)
                             .arg(ownershipName(view.owner.ownership));
        }
    }

    // The id of the connection named `letter`; 0 when none.
    std::uint64_t id(QChar letter) const { return m_ids.value(letter.unicode() - u'a', 0); }

    ConnectionTracker tracker;
    QStringList lines;

private:
    QString name(std::uint64_t id)
    {
        qsizetype index = m_ids.indexOf(id);
        if (index < 0) {
            index = m_ids.size();
            m_ids << id;
        }
        return QString(QChar(static_cast<char16_t>(u'a' + index)));
    }

    QString describe(const SocketEvent &event)
    {
        QString states;
        switch (event.kind) {
        case EventKind::Appeared:
            states = tcpStateName(event.to);
            break;
        case EventKind::StateChanged:
            states = tcpStateName(event.from) + QLatin1Char('>') + tcpStateName(event.to);
            break;
        case EventKind::Gone:
            states = tcpStateName(event.from);
            break;
        }
        return QStringLiteral("%1 %2 %3 %4 %5 cookie %6%7")
            .arg(event.timeMs)
            .arg(name(event.connection.id), eventKindName(event.kind), states,
                 eventSourceName(event.source))
            .arg(event.connection.socket.cookie)
            .arg(event.initial ? QStringLiteral(" initial") : QString());
    }

    QList<std::uint64_t> m_ids;
};

// "ESTABLISHED 0-500, CLOSE_WAIT 500-": a connection's history as spans.
QString historyText(const ConnectionView &view)
{
    QStringList spans;
    for (const StateSpan &span : view.history)
        spans << QStringLiteral("%1 %2-%3")
                     .arg(tcpStateName(span.state))
                     .arg(span.enteredMs)
                     .arg(span.leftMs < 0 ? QString() : QString::number(span.leftMs));
    return spans.join(QStringLiteral(", "));
}
} // namespace

Q_DECLARE_METATYPE(Script)

class TestTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Every event and update the script produces, in order, and how many
    // connections are live at its end.
    void reports_data()
    {
        QTest::addColumn<Script>("script");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<int>("live");

        QTest::newRow("first snapshot is initial, later arrivals are not")
            << Script{poll(100, {record(1, TcpState::Listen, 9000, 0)}),
                      poll(200, {record(1, TcpState::Listen, 9000, 0),
                                 record(2, TcpState::Established, 9000, 40000)})}
            << QStringList{"100 a appeared LISTEN poll cookie 1 initial",
                           "200 b appeared ESTABLISHED poll cookie 2"}
            << 2;
        QTest::newRow("state change")
            << Script{poll(0, {record(7, TcpState::Established, 10001, 9000)}),
                      poll(500, {record(7, TcpState::CloseWait, 10001, 9000)})}
            << QStringList{"0 a appeared ESTABLISHED poll cookie 7 initial",
                           "500 a state ESTABLISHED>CLOSE_WAIT poll cookie 7"}
            << 1;

        // The kernel swaps the closed socket for a timewait socket: new cookie,
        // inode 0, same 4-tuple. One connection, not a gone and an appeared.
        const Step finWait1 = poll(0, {record(1, TcpState::FinWait1, 40000, 9000)});
        const QString first = QStringLiteral("0 a appeared FIN_WAIT1 poll cookie 1 initial");
        QTest::newRow("timewait successor: TIME_WAIT, inode 0")
            << Script{finWait1, poll(300, {record(2, TcpState::TimeWait, 40000, 9000, 0)})}
            << QStringList{first, "300 a state FIN_WAIT1>TIME_WAIT poll cookie 2"} << 1;
        QTest::newRow("timewait successor: FIN_WAIT2, inode 0")
            << Script{finWait1, poll(300, {record(2, TcpState::FinWait2, 40000, 9000, 0)})}
            << QStringList{first, "300 a state FIN_WAIT1>FIN_WAIT2 poll cookie 2"} << 1;
        QTest::newRow("no successor: new ESTABLISHED on the same tuple")
            << Script{finWait1, poll(300, {record(2, TcpState::Established, 40000, 9000, 555)})}
            << QStringList{first, "300 b appeared ESTABLISHED poll cookie 2",
                           "300 a gone FIN_WAIT1 poll cookie 1"}
            << 1;
        QTest::newRow("no successor: TIME_WAIT with an inode")
            << Script{finWait1, poll(300, {record(2, TcpState::TimeWait, 40000, 9000, 555)})}
            << QStringList{first, "300 b appeared TIME_WAIT poll cookie 2",
                           "300 a gone FIN_WAIT1 poll cookie 1"}
            << 1;

        QTest::newRow("gone") << Script{poll(0, {record(1, TcpState::TimeWait, 40000, 9000, 0)}),
                                        poll(60000, {})}
                              << QStringList{"0 a appeared TIME_WAIT poll cookie 1 initial",
                                             "60000 a gone TIME_WAIT poll cookie 1"}
                              << 0;
        // SO_REUSEPORT: two listeners share a 4-tuple; both must be retired.
        QTest::newRow("listeners sharing a tuple both go")
            << Script{poll(0, {record(1, TcpState::Listen, 9000, 0),
                               record(2, TcpState::Listen, 9000, 0)}),
                      poll(100, {})}
            << QStringList{"0 a appeared LISTEN poll cookie 1 initial",
                           "0 b appeared LISTEN poll cookie 2 initial",
                           "100 a gone LISTEN poll cookie 1", "100 b gone LISTEN poll cookie 2"}
            << 0;
        QTest::newRow("listeners sharing a tuple: both live")
            << Script{poll(
                   0, {record(1, TcpState::Listen, 9000, 0), record(2, TcpState::Listen, 9000, 0)})}
            << QStringList{"0 a appeared LISTEN poll cookie 1 initial",
                           "0 b appeared LISTEN poll cookie 2 initial"}
            << 2;
        QTest::newRow("a countdown is not an update, a queue change is")
            << Script{poll(0, {timewaitCountdown(59000)}), poll(1000, {timewaitCountdown(58000)}),
                      poll(1100, {timewaitCountdown(57900), record(2, TcpState::Listen, 9000, 0)}),
                      poll(1200, {timewaitCountdown(57800),
                                  withRecvQ(record(2, TcpState::Listen, 9000, 0), 3)})}
            << QStringList{"0 a appeared TIME_WAIT poll cookie 1 initial",
                           "1100 b appeared LISTEN poll cookie 2",
                           "1200 b updated recv-q 3 unknown"}
            << 2;
        QTest::newRow("an owner change is an update")
            << Script{poll(0, {record(1, TcpState::Listen, 9000, 0)},
                           OwnerLookup{Ownership::Owned, {{42, 3, QStringLiteral("srv")}}}),
                      poll(100, {record(1, TcpState::Listen, 9000, 0)},
                           OwnerLookup{Ownership::Orphaned, {}})}
            << QStringList{"0 a appeared LISTEN poll cookie 1 initial",
                           "100 a updated recv-q 0 orphaned"}
            << 1;

        QTest::newRow("a destroy notice of a known connection dates its end")
            << Script{poll(0, {record(1, TcpState::Established, 40000, 9000)}),
                      notice(120, {record(1, TcpState::Close, 40000, 9000)}), poll(250, {})}
            << QStringList{"0 a appeared ESTABLISHED poll cookie 1 initial",
                           "120 a gone ESTABLISHED destroy cookie 1"}
            << 0;
        QTest::newRow("a destroy notice followed by a timewait successor is not the end")
            << Script{poll(0, {record(1, TcpState::FinWait1, 40000, 9000)}),
                      notice(120, {record(1, TcpState::Close, 40000, 9000)}),
                      poll(250, {record(9, TcpState::TimeWait, 40000, 9000, 0)})}
            << QStringList{"0 a appeared FIN_WAIT1 poll cookie 1 initial",
                           "250 a state FIN_WAIT1>TIME_WAIT poll cookie 9"}
            << 1;
        // Born and dead between two polls: only the destroy notice saw it.
        QTest::newRow("short-lived connection seen only by its destroy notice")
            << Script{poll(0, {}), notice(50, {record(5, TcpState::Close, 40001, 9000)}),
                      poll(250, {})}
            << QStringList{"50 a appeared CLOSE destroy cookie 5",
                           "50 a gone CLOSE destroy cookie 5"}
            << 0;
        // The accepted socket a server closes at once dies before any poll; its
        // connection goes on in a timewait socket: one Appeared, in FIN_WAIT2.
        QTest::newRow("destroyed, then its successor appears once")
            << Script{poll(0, {}), notice(50, {record(5, TcpState::Close, 9000, 40001)}),
                      poll(250, {record(6, TcpState::FinWait2, 9000, 40001, 0)})}
            << QStringList{"250 a appeared FIN_WAIT2 poll cookie 6"} << 1;
        // A socket that never had a peer (a failed bind) is not a connection.
        QTest::newRow("destroyed without a peer is dropped")
            << Script{poll(0, {}), notice(50, {record(5, TcpState::Close, 10001, 0)}),
                      poll(250, {})}
            << QStringList{} << 0;
        QTest::newRow("ids are never reused")
            << Script{poll(0, {record(1, TcpState::Established, 1, 2)}), poll(10, {}),
                      poll(20, {record(1, TcpState::Established, 1, 2)})}
            << QStringList{"0 a appeared ESTABLISHED poll cookie 1 initial",
                           "10 a gone ESTABLISHED poll cookie 1",
                           "20 b appeared ESTABLISHED poll cookie 1"}
            << 1;
    }
    void reports()
    {
        QFETCH(Script, script);
        QFETCH(QStringList, expected);
        QFETCH(int, live);
        const Run run(script);
        QCOMPARE(run.lines, expected);
        QCOMPARE(run.tracker.live().size(), live);
    }

    // Connection a's history as the tracker keeps it after the script, live or
    // recently gone, and when its current state began.
    void history_data()
    {
        QTest::addColumn<Script>("script");
        QTest::addColumn<QString>("history");
        QTest::addColumn<qint64>("stateSinceMs");
        QTest::addColumn<bool>("sinceIsLowerBound");

        QTest::newRow("already there when watching started")
            << Script{poll(100, {record(1, TcpState::Listen, 9000, 0)})}
            << QStringLiteral("LISTEN 100-") << qint64(100) << true;
        QTest::newRow("state change")
            << Script{poll(0, {record(7, TcpState::Established, 10001, 9000)}),
                      poll(500, {record(7, TcpState::CloseWait, 10001, 9000)})}
            << QStringLiteral("ESTABLISHED 0-500, CLOSE_WAIT 500-") << qint64(500) << false;
        QTest::newRow("appeared after the start")
            << Script{poll(0, {}), poll(200, {record(2, TcpState::Established, 9000, 40000)})}
            << QStringLiteral("ESTABLISHED 200-") << qint64(200) << false;
        QTest::newRow("gone stays findable")
            << Script{poll(0, {record(1, TcpState::TimeWait, 40000, 9000, 0)}), poll(60000, {})}
            << QStringLiteral("TIME_WAIT 0-60000") << qint64(0) << true;
    }
    void history()
    {
        QFETCH(Script, script);
        QFETCH(QString, history);
        QFETCH(qint64, stateSinceMs);
        QFETCH(bool, sinceIsLowerBound);
        const Run run(script);
        const ConnectionView *view = run.tracker.find(run.id(QLatin1Char('a')));
        QVERIFY(view);
        QCOMPARE(historyText(*view), history);
        QCOMPARE(qint64(view->stateSinceMs), stateSinceMs);
        QCOMPARE(view->stateSinceIsLowerBound, sinceIsLowerBound);
    }
};

QTEST_GUILESS_MAIN(TestTracker)
#include "tst_tracker.moc"

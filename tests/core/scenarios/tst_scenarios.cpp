// SPDX-License-Identifier: GPL-3.0-or-later
// S1-S6 end to end: `sockscope scenario Sn --json` must exit 0 and its
// transcript must show the kernel states each pitfall is about, as the dump
// reported them (not as the lab believed them).
#include "netns.h"
#include "processrun.h"
#include "scenarios/scenariocatalog.h"
#include "scenarios/scenarioports.h"

#include <functional>
#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace sockscope;

namespace {

using Run = sockscope::test::ProcessRun;

Run runSockscope(const QStringList &arguments, int timeoutMs = 90000)
{
    return sockscope::test::runProcess(QStringLiteral(SOCKSCOPE_BINARY), arguments, timeoutMs);
}

// The transcript, walked: every exchange and every dumped socket, with its step.
class Transcript
{
public:
    explicit Transcript(QJsonObject root) : m_root(std::move(root)) {}

    int port(const QString &name) const { return m_root[QStringLiteral("ports")][name].toInt(); }
    bool passed() const { return m_root[QStringLiteral("passed")].toBool(); }
    QJsonArray steps() const { return m_root[QStringLiteral("steps")].toArray(); }

    // Exchanges whose command starts with `prefix`, in order.
    QList<QJsonObject> exchanges(const QString &prefix) const
    {
        QList<QJsonObject> result;
        for (const QJsonValue &step : steps()) {
            for (const QJsonValue &exchange : step[QStringLiteral("exchanges")].toArray()) {
                if (exchange[QStringLiteral("command")].toString().startsWith(prefix))
                    result << exchange.toObject();
            }
        }
        return result;
    }

    // Sockets of any step's dump matching `predicate`.
    QList<QJsonObject> sockets(const std::function<bool(const QJsonObject &)> &predicate) const
    {
        QList<QJsonObject> result;
        for (const QJsonValue &step : steps()) {
            for (const QJsonValue &socket : step[QStringLiteral("sockets")].toArray()) {
                if (predicate(socket.toObject()))
                    result << socket.toObject();
            }
        }
        return result;
    }

    // In one step's dump: sockets in `state` on local `port`.
    static QList<QJsonObject> inStep(const QJsonValue &step, const QString &state, int port)
    {
        QList<QJsonObject> result;
        for (const QJsonValue &socket : step[QStringLiteral("sockets")].toArray()) {
            if (socket[QStringLiteral("state")].toString() == state &&
                socket[QStringLiteral("local_port")].toInt() == port)
                result << socket.toObject();
        }
        return result;
    }

private:
    QJsonObject m_root;
};

std::function<bool(const QJsonObject &)> state(const QString &name, int localPort,
                                               int remotePort = -1)
{
    return [=](const QJsonObject &s) {
        return s[QStringLiteral("state")].toString() == name &&
               s[QStringLiteral("local_port")].toInt() == localPort &&
               (remotePort < 0 || s[QStringLiteral("remote_port")].toInt() == remotePort);
    };
}

QSet<int> ownerPids(const QList<QJsonObject> &sockets)
{
    QSet<int> pids;
    for (const QJsonObject &socket : sockets) {
        const QJsonArray owners = socket[QStringLiteral("owners")].toArray();
        if (!owners.isEmpty())
            pids.insert(owners.first()[QStringLiteral("pid")].toInt());
    }
    return pids;
}

bool culpritIn(const QJsonObject &exchange, const QString &stateName, int localPort)
{
    for (const QJsonValue &culprit :
         exchange[QStringLiteral("explanation")][QStringLiteral("culprits")].toArray()) {
        const QJsonValue socket = culprit[QStringLiteral("socket")];
        if (socket[QStringLiteral("state")].toString() == stateName &&
            socket[QStringLiteral("local_port")].toInt() == localPort)
            return true;
    }
    return false;
}

void checkS1(const Transcript &t)
{
    const int port = t.port(QStringLiteral("PORT"));
    // The orphaned LISTEN: no descriptor of any process holds it.
    const auto orphaned = t.sockets([&](const QJsonObject &s) {
        return state(QStringLiteral("LISTEN"), port)(s) &&
               s[QStringLiteral("owner")].toString() != QLatin1String("owned");
    });
    QVERIFY(!orphaned.isEmpty());
    const QList<QJsonObject> rebinds = t.exchanges(QStringLiteral("rebind"));
    QCOMPARE(rebinds.size(), 3);
    QCOMPARE(rebinds[0][QStringLiteral("errno")].toString(), QStringLiteral("EADDRINUSE"));
    QVERIFY(culpritIn(rebinds[0], QStringLiteral("LISTEN"), port));
    QVERIFY(rebinds[1][QStringLiteral("ok")].toBool()); // after the graceful repair
    QVERIFY(rebinds[2][QStringLiteral("ok")].toBool()); // graceful from the start
}

void checkS2(const Transcript &t)
{
    const int port = t.port(QStringLiteral("PORT"));
    const auto queued = t.sockets([&](const QJsonObject &s) {
        return state(QStringLiteral("LISTEN"), port)(s) && s[QStringLiteral("recv_q")].toInt() > 0;
    });
    QVERIFY(!queued.isEmpty()); // the accept queue grew
    const QList<QJsonObject> statuses = t.exchanges(QStringLiteral("status"));
    QCOMPARE(statuses.size(), 6); // under pressure and recovered, for each of the three policies
    const auto answer = [&](int i) { return statuses[i][QStringLiteral("answer")].toString(); };
    QVERIFY2(answer(0).contains(QLatin1String("last-error=EMFILE")), qPrintable(answer(0)));
    QVERIFY2(!answer(0).contains(QLatin1String("spin-retries=0 ")), qPrintable(answer(0)));
    QVERIFY2(answer(2).contains(QLatin1String("last-error=EMFILE")), qPrintable(answer(2)));
    QVERIFY2(answer(2).contains(QLatin1String("spin-retries=0 ")), qPrintable(answer(2)));
    QVERIFY2(answer(4).contains(QLatin1String("accept-errors=0 ")), qPrintable(answer(4)));
    for (const int recovered : {1, 3, 5})
        QVERIFY2(answer(recovered).contains(QLatin1String("accepts=20 ")),
                 qPrintable(answer(recovered)));
}

void checkS3(const Transcript &t)
{
    const int port = t.port(QStringLiteral("PORT"));
    bool sharedListen = false;
    bool bothAccepted = false;
    for (const QJsonValue &step : t.steps()) {
        sharedListen =
            sharedListen ||
            ownerPids(Transcript::inStep(step, QStringLiteral("LISTEN"), port)).size() == 2;
        bothAccepted =
            bothAccepted ||
            ownerPids(Transcript::inStep(step, QStringLiteral("ESTABLISHED"), port)).size() == 2;
    }
    QVERIFY(sharedListen);
    QVERIFY(bothAccepted);
    const QList<QJsonObject> third =
        t.exchanges(QStringLiteral("listen 127.0.0.1:%1 reuseaddr").arg(port));
    QCOMPARE(third.size(), 1);
    QCOMPARE(third[0][QStringLiteral("errno")].toString(), QStringLiteral("EADDRINUSE"));
}

void checkS4(const Transcript &t)
{
    const int port = t.port(QStringLiteral("PORT"));
    const int client = t.port(QStringLiteral("CPORT"));
    QVERIFY(!t.sockets(state(QStringLiteral("CLOSE_WAIT"), client, port)).isEmpty());
    QVERIFY(!t.sockets(state(QStringLiteral("FIN_WAIT2"), port, client)).isEmpty());
    QVERIFY(!t.sockets(state(QStringLiteral("TIME_WAIT"), port, client)).isEmpty());
    const QList<QJsonObject> connects = t.exchanges(QStringLiteral("connect"));
    QCOMPARE(connects.size(), 3);
    for (const int failed : {1, 2}) {
        QCOMPARE(connects[failed][QStringLiteral("errno")].toString(),
                 QStringLiteral("EADDRINUSE"));
        QVERIFY(culpritIn(connects[failed], QStringLiteral("CLOSE_WAIT"), client));
    }
}

void checkS5(const Transcript &t)
{
    const int port = t.port(QStringLiteral("PORT"));
    const int second = t.port(QStringLiteral("PORT2"));
    QVERIFY(!t.sockets(state(QStringLiteral("TIME_WAIT"), port)).isEmpty());
    const QList<QJsonObject> restarts =
        t.exchanges(QStringLiteral("server 127.0.0.1:%1").arg(port));
    QCOMPARE(restarts.size(),
             3); // the first start, then a restart without and one with SO_REUSEADDR
    for (const int failed : {1, 2}) {
        QCOMPARE(restarts[failed][QStringLiteral("errno")].toString(),
                 QStringLiteral("EADDRINUSE"));
        QVERIFY(culpritIn(restarts[failed], QStringLiteral("TIME_WAIT"), port));
        const QJsonValue ends =
            restarts[failed][QStringLiteral("explanation")][QStringLiteral("culprits")][0]
                    [QStringLiteral("ends_in_ms")];
        QVERIFY(ends.toInteger() > 0 && ends.toInteger() <= 60000);
    }
    const QList<QJsonObject> reuse =
        t.exchanges(QStringLiteral("server 127.0.0.1:%1 reuseaddr").arg(second));
    QCOMPARE(reuse.size(), 2);
    QVERIFY(reuse[1][QStringLiteral("ok")].toBool()); // restarts beside its own TIME_WAIT
    QVERIFY(!t.sockets(state(QStringLiteral("TIME_WAIT"), second)).isEmpty());
}

void checkS6(const Transcript &t)
{
    const QList<QJsonObject> counts = t.exchanges(QStringLiteral("fds"));
    QCOMPARE(counts.size(), 2);
    QCOMPARE(counts[1][QStringLiteral("answer")].toString(),
             counts[0][QStringLiteral("answer")].toString());
    const int port = t.port(QStringLiteral("PORT"));
    const QJsonArray steps = t.steps();
    QVERIFY(Transcript::inStep(steps.last(), QStringLiteral("LISTEN"), port).isEmpty());
    QVERIFY(!t.sockets(state(QStringLiteral("TIME_WAIT"), port)).isEmpty());
}

} // namespace

class TestScenarios : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listsSix()
    {
        const Run run = runSockscope({QStringLiteral("scenario"), QStringLiteral("--list")});
        QCOMPARE(run.status, 0);
        QCOMPARE(run.out.count('\n'), 6);
        QCOMPARE(runSockscope({QStringLiteral("scenario"), QStringLiteral("S9")}).status, 2);
        QCOMPARE(runSockscope({QStringLiteral("scenario")}).status, 2);
    }

    // S5's step 6 once said "on 358212": PORT was replaced inside PORT2.
    void portNamesAreReplacedAsWholeWords()
    {
        const QMap<QString, int> ports{{QStringLiteral("PORT"), 35821},
                                       {QStringLiteral("PORT2"), 35822},
                                       {QStringLiteral("CPORT"), 40000}};
        QCOMPARE(withPortNumbers(QStringLiteral("A new server on PORT2 while PORT waits; CPORT, "
                                                "PORTS and PORT2X are not ports."),
                                 ports),
                 QStringLiteral("A new server on 35822 while 35821 waits; 40000, PORTS and PORT2X "
                                "are not ports."));
        for (const Scenario &scenario : allScenarios()) {
            QMap<QString, int> chosen;
            for (const ScenarioPort &port : scenario.ports)
                chosen.insert(port.name, 30000 + static_cast<int>(chosen.size()));
            for (const ScenarioStep &step : scenario.steps) {
                const QString text = withPortNumbers(step.explanation, chosen);
                for (auto it = chosen.cbegin(); it != chosen.cend(); ++it)
                    QVERIFY2(!QRegularExpression(QStringLiteral("\\b%1\\b").arg(it.key()))
                                  .match(text)
                                  .hasMatch(),
                             qPrintable(scenario.id + QStringLiteral(": ") + text));
                QVERIFY2(!QRegularExpression(QStringLiteral("\\d{6}")).match(text).hasMatch(),
                         qPrintable(scenario.id + QStringLiteral(": ") + text));
            }
        }
    }

    void scenario_data()
    {
        QTest::addColumn<QString>("id");
        for (const char *id : {"S1", "S2", "S3", "S4", "S5", "S6"})
            QTest::newRow(id) << QString::fromLatin1(id);
    }

    void scenario()
    {
        SOCKSCOPE_REQUIRE_NETNS(); // the seed's ports and 60 s TIME_WAIT timers
        QFETCH(QString, id);
        const Run run = runSockscope({QStringLiteral("scenario"), id, QStringLiteral("--json")});
        const QJsonDocument document = QJsonDocument::fromJson(run.out);
        QVERIFY2(document.isObject(), run.err.constData());
        const Transcript transcript(document.object());
        const QStringList differences =
            document[QStringLiteral("differences")].toVariant().toStringList();
        QVERIFY2(run.status == 0 && transcript.passed(),
                 qPrintable(differences.join(QLatin1Char('\n'))));
        const QHash<QString, void (*)(const Transcript &)> checks = {
            {QStringLiteral("S1"), checkS1}, {QStringLiteral("S2"), checkS2},
            {QStringLiteral("S3"), checkS3}, {QStringLiteral("S4"), checkS4},
            {QStringLiteral("S5"), checkS5}, {QStringLiteral("S6"), checkS6}};
        checks.value(id)(transcript);
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestScenarios, QCoreApplication)
#include "tst_scenarios.moc"

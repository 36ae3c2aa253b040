// SPDX-License-Identifier: GPL-3.0-or-later
// The exporter with exactly the privileges packaging/systemd/sockscope-exporter.service
// grants: an unprivileged uid (as DynamicUser= makes up), no new privileges, and
// only the unit's AmbientCapabilities= in every set, and no memory both writable
// and executable (MemoryDenyWriteExecute=, through the kernel's own PR_SET_MDWE
// where it has it, 6.3 and later). systemd itself is not PID 1 on every test
// machine, so setpriv applies the same credentials: the exporter
// must serve the host's sockets and trace, and without those capabilities it
// must not trace (the capabilities are what does it).
#include "exporterprocess.h"
#include "loopback.h"
#include "netns.h"
#include "processrun.h"
#include "trace/tracepermissions.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>
#include <QtTest>
#include <sys/prctl.h>

using namespace sockscope;
using namespace sockscope::test;

namespace {
constexpr int kDeadlineMs = 15000;
// The first uid systemd hands out for DynamicUser= (61184-65519).
constexpr int kDynamicUid = 61184;
// From linux/prctl.h 6.3, newer than some build hosts' headers.
constexpr int kSetMdwe = 65;
constexpr int kGetMdwe = 66;
constexpr unsigned long kMdweRefuseExecGain = 1;

// "CAP_BPF CAP_PERFMON" of the unit's AmbientCapabilities= as setpriv spells
// them ("bpf,perfmon"); empty when the line is missing.
QString unitCapabilities()
{
    QFile unit(QStringLiteral(UNIT_FILE));
    if (!unit.open(QIODevice::ReadOnly))
        return {};
    const QRegularExpression line(QStringLiteral("^AmbientCapabilities=(.*)$"),
                                  QRegularExpression::MultilineOption);
    const QString names = line.match(QString::fromUtf8(unit.readAll())).captured(1);
    QStringList capabilities;
    for (const QString &name : names.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        capabilities.append(name.toLower().remove(QStringLiteral("cap_")));
    return capabilities.join(QLatin1Char(','));
}

} // namespace

class TestExporterPrivileges : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesWithTheUnitsCapabilities_data();
    void servesWithTheUnitsCapabilities();
};

void TestExporterPrivileges::servesWithTheUnitsCapabilities_data()
{
    QTest::addColumn<bool>("withUnitCapabilities");
    QTest::newRow("the unit's capabilities: traces") << true;
    QTest::newRow("no capabilities: polls only") << false;
}

void TestExporterPrivileges::servesWithTheUnitsCapabilities()
{
    QFETCH(bool, withUnitCapabilities);
    SOCKSCOPE_REQUIRE_NETNS(); // and so root, which setpriv needs to change uid
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    if (setpriv.isEmpty())
        QSKIP("setpriv not found (util-linux)");
    if (const Status btf = checkKernelBtf(); !btf)
        QSKIP(
            qPrintable(QStringLiteral("this kernel cannot trace at all: ") + btf.error().message));
    const QString capabilities = unitCapabilities();
    QVERIFY2(!capabilities.isEmpty(), "no AmbientCapabilities= in " UNIT_FILE);
    const QString sets =
        QStringLiteral("-all") +
        (withUnitCapabilities
             ? QStringLiteral(",+") +
                   QString(capabilities).replace(QLatin1Char(','), QStringLiteral(",+"))
             : QString());

    const UniqueFd listener = listenOn();
    const std::uint16_t listening = localPort(listener.get());
    const std::uint16_t port = freeLoopbackPort();
    const QString address = QStringLiteral("127.0.0.1:%1").arg(port);
    QProcess exporter;
    // Inherited across exec, and never undone: what MemoryDenyWriteExecute= does.
    if (::prctl(kGetMdwe, 0, 0, 0, 0) >= 0)
        exporter.setChildProcessModifier(
            [] { ::prctl(kSetMdwe, kMdweRefuseExecGain, 0ul, 0ul, 0ul); });
    else
        qInfo("this kernel has no PR_SET_MDWE: MemoryDenyWriteExecute= not applied");
    exporter.setProcessChannelMode(QProcess::MergedChannels);
    exporter.start(setpriv,
                   {QStringLiteral("--reuid=%1").arg(kDynamicUid),
                    QStringLiteral("--regid=%1").arg(kDynamicUid), QStringLiteral("--clear-groups"),
                    QStringLiteral("--no-new-privs"), QStringLiteral("--bounding-set=") + sets,
                    QStringLiteral("--inh-caps=") + sets, QStringLiteral("--ambient-caps=") + sets,
                    QStringLiteral(SOCKSCOPE_BINARY), QStringLiteral("exporter"),
                    QStringLiteral("--listen"), address, QStringLiteral("--interval"),
                    QStringLiteral("250")});
    auto stop = qScopeGuard([&] { stopProcess(exporter, 5000); });

    // Three polls in: the tracer, when allowed, is attached by then.
    QHash<QByteArray, double> samples;
    for (const QDeadlineTimer deadline(kDeadlineMs);
         samples.value("sockscope_polls_total") < 3 && !deadline.hasExpired();) {
        QThread::msleep(100);
        samples = parseSamples(httpGet(port, "/metrics").body);
    }
    QVERIFY2(samples.value("sockscope_polls_total") >= 3, exporter.readAll().constData());
    const QByteArray listenSeries =
        "sockscope_tcp_sockets{state=\"LISTEN\",port=\"" + QByteArray::number(listening) + "\"}";
    QCOMPARE(samples.value(listenSeries, -1), 1.0);
    QCOMPARE(samples.value("sockscope_tracing", -1), withUnitCapabilities ? 1.0 : 0.0);
}

SOCKSCOPE_TEST_MAIN_NETNS(TestExporterPrivileges, QCoreApplication)
#include "tst_exporterprivileges.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// sock_diag refused: a seccomp filter makes socket(AF_NETLINK, NETLINK_SOCK_DIAG)
// fail as a sandbox (EPERM) or a kernel without the module (EPROTONOSUPPORT)
// would, and SOCK_DESTROY without CAP_NET_ADMIN. Each says what failed and the fix.
#include "loopback.h"
#include "netlink/diagclient.h"
#include "netns.h"
#include "processrun.h"

#include <cerrno>
#include <linux/capability.h>
#include <QCoreApplication>
#include <QTest>
#include <sys/syscall.h>
#include <unistd.h>

using namespace sockscope;

namespace {

constexpr int kNoFilter = 97; // seccomp_exec's exit status when seccomp was refused

test::ProcessRun runDenied(const QStringList &arguments, int errnum)
{
    return test::runProcess(QStringLiteral(SOCKSCOPE_SECCOMP_EXEC),
                            QStringList{QStringLiteral("sock_diag"), QString::number(errnum),
                                        QStringLiteral(SOCKSCOPE_BINARY)} +
                                arguments,
                            30000);
}

// Raises or drops CAP_NET_ADMIN in this thread's effective set (the
// permitted set keeps it, so it can come back).
constexpr unsigned kNetAdminBit = 1u << CAP_NET_ADMIN;

bool holdsNetAdmin()
{
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    return ::syscall(SYS_capget, &header, data) == 0 && (data[0].effective & kNetAdminBit) != 0;
}

bool setNetAdmin(bool on)
{
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (::syscall(SYS_capget, &header, data) != 0)
        return false;
    constexpr unsigned bit = kNetAdminBit;
    data[0].effective = on ? data[0].effective | bit : data[0].effective & ~bit;
    return ::syscall(SYS_capset, &header, data) == 0;
}

} // namespace

class TestNetlinkRefused : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void refused_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("errnum");
        QTest::addColumn<QString>("fix");
        const QString seccomp = QStringLiteral("seccomp profile");
        const QString module = QStringLiteral("modprobe inet_diag tcp_diag");
        const QStringList dump{QStringLiteral("dump")};
        const QStringList watch{QStringLiteral("watch"), QStringLiteral("--duration"),
                                QStringLiteral("600"), QStringLiteral("--interval"),
                                QStringLiteral("50")};
        QTest::newRow("dump, sandbox") << dump << EPERM << seccomp;
        QTest::newRow("dump, no module") << dump << EPROTONOSUPPORT << module;
        QTest::newRow("watch, sandbox") << watch << EACCES << seccomp;
        QTest::newRow("watch, no module") << watch << EAFNOSUPPORT << module;
    }
    void refused()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, errnum);
        QFETCH(QString, fix);
        const auto run = runDenied(arguments, errnum);
        if (run.status == kNoFilter)
            QSKIP("the kernel refused the seccomp filter");
        const QString err = QString::fromLocal8Bit(run.err);
        QVERIFY2(run.status == 1,
                 qPrintable(QStringLiteral("exit %1: %2").arg(run.status).arg(err)));
        QVERIFY2(err.contains(QStringLiteral("cannot open a sock_diag netlink socket")),
                 qPrintable(err));
        QVERIFY2(err.contains(fix), qPrintable(err));
        // watch retries every interval but says it once.
        QCOMPARE(err.count(QStringLiteral("cannot open")), 1);
    }

    void destroyWithoutNetAdmin()
    {
        const UniqueFd listener = test::listenOn();
        QVERIFY(listener.valid());
        auto client = DiagClient::open();
        QVERIFY2(client, qPrintable(client ? QString() : client.error().message));
        const std::uint16_t port = test::localPort(listener.get());
        DumpFilter filter;
        filter.port = port;
        auto dump = (*client)->dump(filter);
        QVERIFY(dump && !dump->empty());
        // As root the capability is dropped for the call; a user never had it.
        const bool held = holdsNetAdmin();
        if (held)
            QVERIFY(setNetAdmin(false));
        const Status status = (*client)->destroy(dump->front());
        if (held)
            QVERIFY(setNetAdmin(true));
        QVERIFY(!status);
        if (status.error().errnum == EOPNOTSUPP)
            QSKIP("this kernel was built without CONFIG_INET_DIAG_DESTROY");
        QCOMPARE(status.error().errnum, EPERM);
        QVERIFY2(status.error().message.contains(QStringLiteral("CAP_NET_ADMIN")),
                 qPrintable(status.error().message));
        // The socket lives on: nothing was destroyed.
        QVERIFY(!(*client)->dump(filter)->empty());
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestNetlinkRefused, QCoreApplication)
#include "tst_netlinkrefused.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// --ssh's target forms and the ssh command line built from them.
#include "remote/sshtarget.h"

#include <QTest>

using namespace sockscope;

class TestSshTarget : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void forms_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("host") << QStringLiteral("server") << QStringLiteral("")
                              << QStringLiteral("server") << 0;
        QTest::newRow("user@host") << QStringLiteral("root@10.0.0.5") << QStringLiteral("root")
                                   << QStringLiteral("10.0.0.5") << 0;
        QTest::newRow("user@host:port")
            << QStringLiteral("ops@db.example:2222") << QStringLiteral("ops")
            << QStringLiteral("db.example") << 2222;
        QTest::newRow("v6") << QStringLiteral("root@[2001:db8::1]:22") << QStringLiteral("root")
                            << QStringLiteral("2001:db8::1") << 22;
    }
    void forms()
    {
        QFETCH(QString, text);
        const auto target = parseSshTarget(text);
        QVERIFY2(target, qPrintable(target ? QString() : target.error().message));
        QTEST(target->user, "user");
        QTEST(target->host, "host");
        QTEST(target->port, "port");
    }

    void badFormsNameTheProblem_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QStringLiteral("");
        QTest::newRow("option") << QStringLiteral("-oProxyCommand=sh");
        QTest::newRow("port") << QStringLiteral("host:99999");
        QTest::newRow("spaces") << QStringLiteral("a b");
    }
    void badFormsNameTheProblem()
    {
        QFETCH(QString, text);
        const auto target = parseSshTarget(text);
        QVERIFY(!target);
        QVERIFY2(target.error().message.startsWith(QLatin1String("invalid --ssh")),
                 qPrintable(target.error().message));
    }

    // The destination comes after "--": a host can never be read as an option.
    void argumentsEndOptionsBeforeTheHost()
    {
        SshTarget target = *parseSshTarget(QStringLiteral("root@server:2200"));
        target.configFile = QStringLiteral("/etc/cfg");
        const QStringList arguments = sshArguments(target, QStringLiteral("cmd"));
        QCOMPARE(
            arguments.mid(arguments.indexOf(QStringLiteral("--"))),
            (QStringList{QStringLiteral("--"), QStringLiteral("server"), QStringLiteral("cmd")}));
        QVERIFY(arguments.join(QLatin1Char(' '))
                    .contains(QLatin1String(
                        "-T -o ServerAliveInterval=5 -o ServerAliveCountMax=3 -F /etc/cfg -p "
                        "2200 -l root")));
        QCOMPARE(target.sourceKey(), QStringLiteral("ssh:root@server:2200"));
    }
};

QTEST_GUILESS_MAIN(TestSshTarget)
#include "tst_sshtarget.moc"

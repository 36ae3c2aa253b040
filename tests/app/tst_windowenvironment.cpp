// SPDX-License-Identifier: GPL-3.0-or-later
// The window in hostile environments, through the real binary: a platform
// plugin that cannot start, a settings folder that cannot be written.
#include "processrun.h"

#include <csignal>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

namespace {

QProcessEnvironment environment(const QString &platform)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
    return env;
}

bool haveUnshare()
{
    return !QStandardPaths::findExecutable(QStringLiteral("unshare")).isEmpty();
}

} // namespace

class TestWindowEnvironment : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        SOCKSCOPE_REQUIRE_WINDOW();
    }

    void unusablePlatformExitsWithTheFix_data()
    {
        QTest::addColumn<QString>("platform");
        QTest::addColumn<QString>("display");
        QTest::newRow("unknown plugin") << QStringLiteral("nonesuch") << QString();
        // Nothing listens on display 97 (a socket file there would be a server).
        QTest::newRow("xcb without a server") << QStringLiteral("xcb") << QStringLiteral(":97");
    }
    void unusablePlatformExitsWithTheFix()
    {
        QFETCH(QString, platform);
        QFETCH(QString, display);
        if (QFile::exists(QStringLiteral("/tmp/.X11-unix/X97")))
            QSKIP("an X server answers on :97 here");
        QProcessEnvironment env = environment(platform);
        env.insert(QStringLiteral("DISPLAY"), display);
        QProcess window;
        window.setProcessEnvironment(env);
        window.start(QStringLiteral(SOCKSCOPE_BINARY), {});
        QVERIFY(window.waitForFinished(30000));
        const QString err = QString::fromLocal8Bit(window.readAllStandardError());
        QCOMPARE(window.exitStatus(), QProcess::NormalExit); // no SIGABRT, no core
        QCOMPARE(window.exitCode(), 1);
        QVERIFY2(err.contains(QStringLiteral("the window cannot open")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("QT_QPA_PLATFORM '%1'").arg(platform)),
                 qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("sockscope dump")), qPrintable(err));
    }

    // The window starts and runs, and says once why its settings are not kept.
    void unwritableSettingsAreReported_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("why");
        // Root ignores file modes: a read-only or a full tmpfs in a mount
        // namespace of the window's own (unshare -m) stands for both cases.
        QTest::newRow("read-only") << QStringLiteral("mount -t tmpfs -o ro tmpfs \"$1\"")
                                   << QStringLiteral("read-only file system");
        QTest::newRow("full") << QStringLiteral("mount -t tmpfs -o size=16k tmpfs \"$1\" && "
                                                "(head -c 1M /dev/zero > \"$1/fill\" || true)")
                              << QStringLiteral("is full");
    }
    void unwritableSettingsAreReported()
    {
        QFETCH(QString, setup);
        QFETCH(QString, why);
        if (::geteuid() != 0 || !haveUnshare())
            QSKIP("mounting a read-only or full tmpfs needs root and unshare (util-linux)");
        QTemporaryDir config;
        QVERIFY(config.isValid());
        QProcessEnvironment env = environment(QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        QProcess window;
        window.setProcessEnvironment(env);
        window.start(QStringLiteral("unshare"),
                     {QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"),
                      setup + QStringLiteral(" && exec \"$2\""), QStringLiteral("sh"),
                      config.path(), QStringLiteral(SOCKSCOPE_BINARY)});
        QVERIFY(window.waitForStarted());
        QString err;
        QTRY_VERIFY_WITH_TIMEOUT((err += QString::fromLocal8Bit(window.readAllStandardError()),
                                  err.contains(QStringLiteral("Settings cannot be saved"))),
                                 20000);
        QVERIFY2(err.contains(why), qPrintable(err));
        QCOMPARE(err.count(QStringLiteral("Settings cannot be saved")), 1);
        // Still running: the window works without its settings.
        QTest::qWait(500);
        QCOMPARE(window.state(), QProcess::Running);
        window.terminate();
        QVERIFY(window.waitForFinished(10000));
    }
};

QTEST_GUILESS_MAIN(TestWindowEnvironment)
#include "tst_windowenvironment.moc"

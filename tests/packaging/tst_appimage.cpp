// SPDX-License-Identifier: GPL-3.0-or-later
// The built AppImage, end to end: its AppDir, and the one file running inside
// a minimal Debian root that has no Qt, no FUSE and no X (dump, lab, an
// offscreen screenshot), plus a screenshot through the xcb plugin under Xvfb.
// Each check that needs an application feature skips, with the reason, while
// the application does not have that feature yet.
#include "minimalroot.h"
#include "processrunner.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

class TestAppImage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void extractProducesTheAppDir();
    void desktopFilesValidate();
    void versionOnThisHost();
    void xcbScreenshotUnderXvfb();
    void minimalRootVersion();
    void minimalRootDumpJson();
    void minimalRootLab();
    void minimalRootOffscreenScreenshot();

private:
    QString whyNoRoot() const;
    QString whyNoFeature(const QStringList &probeArgs, const QString &what) const;
    QString inRoot(const QString &relative) const { return m_root.path() + relative; }

    QString m_appImage = QStringLiteral(SOCKSCOPE_APPIMAGE);
    QTemporaryDir m_work;
    QString m_help;
    MinimalRoot m_root;
    QString m_rootUnavailable;
};

void TestAppImage::initTestCase()
{
    QVERIFY2(QFileInfo(m_appImage).isExecutable(),
             qPrintable(m_appImage + " is missing: build the 'appimage' target"));
    QVERIFY(m_work.isValid());
    ProcessResult help = runProcess(m_appImage, {"--help"});
    QVERIFY2(help.finished, qPrintable(help.describe()));
    m_help = QString::fromLocal8Bit(help.out + help.err);

    m_rootUnavailable = m_root.prepare(MinimalRoot::defaultPath());
    if (!m_rootUnavailable.isEmpty())
        return;
    // A fresh copy and an empty home every run: the first start inside the
    // root is then always the cold one (extraction into the cache).
    const QString testDir = inRoot("/tmp/sockscope-test");
    QDir(testDir).removeRecursively();
    QVERIFY(QDir().mkpath(testDir + "/home"));
    QVERIFY(QFile::copy(m_appImage, testDir + "/SockScope.AppImage"));
    for (const QString &dir : {testDir, testDir + "/home"})
        QVERIFY(QFile::setPermissions(dir, QFile::Permissions(0x7777)));
    QFile::setPermissions(testDir + "/SockScope.AppImage", QFile::Permissions(0x7755));
}

// QSKIP only leaves the function it is in: helpers return the reason instead.
#define SKIP_IF(reason)                                                                            \
    do {                                                                                           \
        const QString why = (reason);                                                              \
        if (!why.isEmpty())                                                                        \
            QSKIP(qPrintable(why));                                                                \
    } while (false)

QString TestAppImage::whyNoRoot() const
{
    return m_rootUnavailable.isEmpty() ? QString() : "no minimal Debian root: " + m_rootUnavailable;
}

// Skips when --help does not list a feature, or when probing it (for example
// "lab --help") says it is unknown or not built yet.
QString TestAppImage::whyNoFeature(const QStringList &probeArgs, const QString &what) const
{
    if (!m_help.contains(what))
        return QStringLiteral("sockscope --help does not list '%1' yet").arg(what);
    if (probeArgs.isEmpty())
        return {};
    ProcessResult probe = runProcess(m_appImage, probeArgs);
    const QString said = QString::fromLocal8Bit(probe.out + probe.err);
    if (probe.exitCode != 0 || said.contains("not built") || said.contains("nknown command"))
        return QStringLiteral("sockscope has no working '%1' yet: %2")
            .arg(what, said.left(200).trimmed());
    return {};
}

void TestAppImage::extractProducesTheAppDir()
{
    ProcessResult r = runProcess(m_appImage, {"--appimage-extract"},
                                 QProcessEnvironment::systemEnvironment(), m_work.path());
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    const QDir appDir(m_work.filePath("squashfs-root"));
    for (const char *file :
         {"AppRun", ".DirIcon", "io.github.sockscope.SockScope.desktop", "usr/bin/sockscope",
          "usr/bin/qt.conf", "usr/lib/libQt6Core.so.6", "usr/lib/libQt6Widgets.so.6",
          "usr/plugins/platforms/libqxcb.so", "usr/plugins/platforms/libqoffscreen.so",
          "usr/plugins/xcbglintegrations/libqxcb-glx-integration.so",
          "usr/plugins/iconengines/libqsvgicon.so", "usr/plugins/imageformats/libqsvg.so",
          "usr/plugins/platformthemes/libqgtk3.so",
          "usr/share/metainfo/io.github.sockscope.SockScope.metainfo.xml",
          "usr/share/icons/hicolor/scalable/apps/io.github.sockscope.SockScope.svg",
          "usr/share/icons/hicolor/256x256/apps/io.github.sockscope.SockScope.png"})
        QVERIFY2(appDir.exists(file), file);
    // The host provides these; they must not be in the AppDir at all.
    for (const char *hostLibrary : {"libc.so.6", "libstdc++.so.6", "ld-linux-x86-64.so.2"})
        QVERIFY2(!appDir.exists(QString("usr/lib/") + hostLibrary), hostLibrary);
}

void TestAppImage::desktopFilesValidate()
{
    const QString root = m_work.filePath("squashfs-root");
    if (!QFileInfo::exists(root))
        QSKIP("extractProducesTheAppDir did not run");
    const QString validator = QStandardPaths::findExecutable("desktop-file-validate");
    const QString appstream = QStandardPaths::findExecutable("appstreamcli");
    if (validator.isEmpty() || appstream.isEmpty())
        QSKIP("desktop-file-utils or appstream is not installed");
    ProcessResult desktop =
        runProcess(validator, {root + "/io.github.sockscope.SockScope.desktop"});
    QVERIFY2(desktop.finished && desktop.exitCode == 0, qPrintable(desktop.describe()));
    ProcessResult meta = runProcess(
        appstream, {"validate", "--no-net",
                    root + "/usr/share/metainfo/io.github.sockscope.SockScope.metainfo.xml"});
    QVERIFY2(meta.finished && meta.exitCode == 0, qPrintable(meta.describe()));
}

void TestAppImage::versionOnThisHost()
{
    ProcessResult r = runProcess(m_appImage, {"--version"});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.out.startsWith("sockscope "), qPrintable(r.describe()));
}

void TestAppImage::xcbScreenshotUnderXvfb()
{
    const QString xvfb = QStandardPaths::findExecutable("Xvfb");
    if (xvfb.isEmpty())
        QSKIP("Xvfb is not installed (package xvfb)");
    SKIP_IF(whyNoFeature({}, "--screenshot"));
    int display = 70;
    while (QFileInfo::exists(QString("/tmp/.X%1-lock").arg(display)))
        ++display;
    QProcess server;
    server.start(xvfb,
                 {QString(":%1").arg(display), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"});
    QVERIFY(server.waitForStarted());
    const QString socket = QString("/tmp/.X11-unix/X%1").arg(display);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(socket), 10000);

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("DISPLAY", QString(":%1").arg(display));
    env.insert("QT_QPA_PLATFORM", "xcb");
    const QString shot = m_work.filePath("xcb.png");
    ProcessResult r = runProcess(m_appImage, {"--screenshot", shot, "--size", "900x600"}, env);
    server.terminate();
    server.waitForFinished(5000);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QImage image(shot);
    QVERIFY2(!image.isNull() && image.width() == 900, qPrintable(r.describe()));
}

void TestAppImage::minimalRootVersion()
{
    SKIP_IF(whyNoRoot());
    ProcessResult r = m_root.run("/tmp/sockscope-test/SockScope.AppImage", {"--version"});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.out.startsWith("sockscope "), qPrintable(r.describe()));
    // No FUSE in there: the runtime must have said so once and extracted.
    QVERIFY2(r.err.contains("FUSE unavailable"), qPrintable(r.describe()));
    QVERIFY(mountsBelow(m_root.path()).isEmpty());
}

void TestAppImage::minimalRootDumpJson()
{
    SKIP_IF(whyNoRoot());
    SKIP_IF(whyNoFeature({"dump", "--help"}, "dump"));
    QTcpServer listener; // the root shares this network: one socket we know of
    QVERIFY(listener.listen(QHostAddress::LocalHost));
    ProcessResult r = m_root.run("/tmp/sockscope-test/SockScope.AppImage", {"dump", "--json"});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QJsonArray sockets = doc.isArray() ? doc.array() : doc.object().value("sockets").toArray();
    QVERIFY2(!sockets.isEmpty(), qPrintable(r.describe()));
    bool ours = false;
    for (const QJsonValue &socket : sockets)
        ours |= socket.toObject().value("local_port").toInt() == listener.serverPort();
    QVERIFY2(ours, qPrintable(QString("port %1 not in the dump").arg(listener.serverPort())));
}

void TestAppImage::minimalRootLab()
{
    SKIP_IF(whyNoRoot());
    SKIP_IF(whyNoFeature({"lab", "--help"}, "lab"));
    QTcpServer probe; // a port that is free right now
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    const QByteArray script = QString("listen 127.0.0.1:%1\nconnect 127.0.0.1:%1\n"
                                      "wait ESTABLISHED %1 3000\nlist\nquit\n")
                                  .arg(port)
                                  .toUtf8();
    ProcessResult r =
        m_root.run("/tmp/sockscope-test/SockScope.AppImage", {"lab"}, {}, script, 60000);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    const QList<QByteArray> lines = r.out.split('\n');
    QVERIFY2(std::none_of(lines.begin(), lines.end(),
                          [](const QByteArray &l) { return l.startsWith("error"); }),
             qPrintable(r.describe()));
    QVERIFY2(std::count_if(lines.begin(), lines.end(),
                           [](const QByteArray &l) { return l.startsWith("ok"); }) >= 3,
             qPrintable(r.describe()));
}

void TestAppImage::minimalRootOffscreenScreenshot()
{
    SKIP_IF(whyNoRoot());
    SKIP_IF(whyNoFeature({}, "--screenshot"));
    const QString shot = "/tmp/sockscope-test/home/offscreen.png";
    ProcessResult r =
        m_root.run("/tmp/sockscope-test/SockScope.AppImage",
                   {"--screenshot", shot, "--size", "1000x700"}, {"QT_QPA_PLATFORM=offscreen"});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QImage image(inRoot(shot));
    QVERIFY2(!image.isNull() && image.width() == 1000 && image.height() == 700,
             qPrintable(r.describe()));
}

QTEST_MAIN(TestAppImage)
#include "tst_appimage.moc"

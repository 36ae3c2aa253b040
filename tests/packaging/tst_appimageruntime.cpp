// SPDX-License-Identifier: GPL-3.0-or-later
// The AppImage runtime on its own, with small images made here: what it hands
// the application, and how it fails (corrupted or truncated image, no FUSE,
// read-only cache, two instances at once): a clear error or a working app,
// never a hang, never a leftover mount.
#include "processrunner.h"
#include "testimage.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <signal.h>

class TestAppImageRuntime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void forwardsEnvironmentArgumentsAndStatus_data();
    void forwardsEnvironmentArgumentsAndStatus();
    void signalEndsTheApplication_data();
    void signalEndsTheApplication();
    void extractWritesTheTree();
    void offsetIsTheEndOfTheElf();
    void damagedImageFailsClearly_data();
    void damagedImageFailsClearly();
    void withoutFuseFallsBackToExtraction();
    void unprivilegedMountThroughHelper();
    void readOnlyCacheUsesTmpOrSaysWhy();
    void twoInstancesAtOnce_data();
    void twoInstancesAtOnce();

private:
    QProcessEnvironment environment(bool extract) const;
    ProcessResult run(const QString &image, const QStringList &args, bool extract,
                      int timeoutMs = 30000) const;
    QString copyOfImage(const QString &name) const;
    QString whyNoFuse() const;
    QStringList asNobody() const;

    QTemporaryDir m_build;
    QString m_image;
    qint64 m_runtimeSize = 0;
    std::unique_ptr<QTemporaryDir> m_scratch; // TMPDIR and cache of one test
};

void TestAppImageRuntime::initTestCase()
{
    QVERIFY(m_build.isValid());
    // Readable by the unprivileged user of readOnlyCacheUsesTmpOrSaysWhy.
    QFile::setPermissions(m_build.path(), QFile::Permissions(0x7755));
    const QString failed =
        buildTestImage(m_build.path(), {APPIMAGE_RUNTIME, APPIMAGE_ASSEMBLE, MKSQUASHFS});
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
    m_image = m_build.filePath("test.AppImage");
    m_runtimeSize = QFileInfo(APPIMAGE_RUNTIME).size();
}

void TestAppImageRuntime::init()
{
    m_scratch = std::make_unique<QTemporaryDir>();
    QVERIFY(m_scratch->isValid());
    QFile::setPermissions(m_scratch->path(), QFile::Permissions(0x7755));
}

void TestAppImageRuntime::cleanup()
{
    const QString dir = m_scratch->path();
    QVERIFY2(waitUntilNoMountsBelow(dir), qPrintable(mountsBelow(dir).join(' ')));
    // The server removes its mount point right after detaching it.
    const auto leftovers = [&] {
        return QDir(dir + "/tmp").entryList({".mount_*"}, QDir::AllEntries | QDir::Hidden);
    };
    QTRY_VERIFY2_WITH_TIMEOUT(leftovers().isEmpty(), qPrintable(leftovers().join(' ')), 5000);
    m_scratch.reset();
}

QProcessEnvironment TestAppImageRuntime::environment(bool extract) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QDir().mkpath(m_scratch->filePath("tmp"));
    env.insert("TMPDIR", m_scratch->filePath("tmp"));
    env.insert("XDG_CACHE_HOME", m_scratch->filePath("cache"));
    env.remove("APPIMAGE_EXTRACT_AND_RUN");
    if (extract)
        env.insert("APPIMAGE_EXTRACT_AND_RUN", "1");
    return env;
}

ProcessResult TestAppImageRuntime::run(const QString &image, const QStringList &args, bool extract,
                                       int timeoutMs) const
{
    return runProcess(image, args, environment(extract), m_scratch->path(), timeoutMs);
}

QString TestAppImageRuntime::copyOfImage(const QString &name) const
{
    const QString copy = m_scratch->filePath(name);
    QFile::copy(m_image, copy);
    QFile::setPermissions(copy, QFile::Permissions(0x7755));
    return copy;
}

// The FUSE rows need a host where this user may mount; elsewhere the runtime
// falls back (tested below), which is not what these rows are about.
QString TestAppImageRuntime::whyNoFuse() const
{
    ProcessResult probe = run(m_image, {}, false);
    if (probe.err.contains("FUSE unavailable"))
        return "FUSE cannot be used here: " + QString::fromLocal8Bit(probe.err.trimmed());
    return {};
}

// QSKIP only leaves the function it is in: the helper returns the reason.
#define SKIP_UNLESS_FUSE(extract)                                                                  \
    do {                                                                                           \
        const QString why = (extract) ? QString() : whyNoFuse();                                   \
        if (!why.isEmpty())                                                                        \
            QSKIP(qPrintable(why));                                                                \
    } while (false)

void TestAppImageRuntime::forwardsEnvironmentArgumentsAndStatus_data()
{
    QTest::addColumn<bool>("extract");
    QTest::newRow("fuse") << false;
    QTest::newRow("extract-and-run") << true;
}

void TestAppImageRuntime::forwardsEnvironmentArgumentsAndStatus()
{
    QFETCH(bool, extract);
    SKIP_UNLESS_FUSE(extract);
    QProcessEnvironment env = environment(extract);
    env.insert("EXIT_WITH", "3");
    ProcessResult r = runProcess(m_image, {"one", "two words", ""}, env, m_scratch->path());
    QVERIFY2(r.finished && !r.crashed && r.exitCode == 3, qPrintable(r.describe()));
    const QString out = QString::fromLocal8Bit(r.out);
    QVERIFY2(out.contains("APPIMAGE=" + m_image + "\n"), qPrintable(out));
    QVERIFY2(out.contains("ARGV0=" + m_image + "\n"), qPrintable(out));
    QVERIFY2(out.contains("OWD=" + m_scratch->path() + "\n"), qPrintable(out));
    QVERIFY2(out.contains("ARG=[one]\nARG=[two words]\nARG=[]\npayload-ok"), qPrintable(out));
    const QString appDirPrefix =
        extract ? m_scratch->filePath("cache/appimage/") : m_scratch->filePath("tmp/.mount_test.A");
    QVERIFY2(out.contains("APPDIR=" + appDirPrefix), qPrintable(out));
}

void TestAppImageRuntime::signalEndsTheApplication_data()
{
    forwardsEnvironmentArgumentsAndStatus_data();
}

// The runtime execs AppRun, so the PID the caller holds is the application's:
// a signal reaches it directly, and its death by that signal is the status.
void TestAppImageRuntime::signalEndsTheApplication()
{
    QFETCH(bool, extract);
    SKIP_UNLESS_FUSE(extract);
    QProcess process;
    QProcessEnvironment env = environment(extract);
    env.insert("SLEEP_FOR", "30");
    process.setProcessEnvironment(env);
    process.start(m_image, {});
    QVERIFY(process.waitForStarted());
    QByteArray seen;
    QElapsedTimer waited;
    waited.start();
    while (!seen.contains("ready") && process.state() == QProcess::Running &&
           waited.elapsed() < 20000) {
        process.waitForReadyRead(200);
        seen += process.readAllStandardOutput();
    }
    QVERIFY2(seen.contains("ready"), seen.constData());
    QCOMPARE(process.state(), QProcess::Running);
    ::kill(static_cast<pid_t>(process.processId()), SIGTERM);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
    QCOMPARE(process.exitCode(), SIGTERM);
}

void TestAppImageRuntime::extractWritesTheTree()
{
    ProcessResult r = run(m_image, {"--appimage-extract"}, false);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    const QString root = m_scratch->filePath("squashfs-root");
    QVERIFY(QFileInfo(root + "/AppRun").isExecutable());
    QCOMPARE(QFileInfo(root + "/link").symLinkTarget(), root + "/data/payload.txt");
    QFile noise(root + "/data/noise.bin");
    QVERIFY(noise.open(QIODevice::ReadOnly));
    QFile original(m_build.filePath("AppDir/data/noise.bin"));
    QVERIFY(original.open(QIODevice::ReadOnly));
    QVERIFY(noise.readAll() == original.readAll());
}

void TestAppImageRuntime::offsetIsTheEndOfTheElf()
{
    ProcessResult r = run(m_image, {"--appimage-offset"}, false);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(r.out.trimmed().toLongLong(), m_runtimeSize);
    QFile file(m_image);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(11).mid(8), QByteArray("AI\x02", 3));
}

void TestAppImageRuntime::damagedImageFailsClearly_data()
{
    QTest::addColumn<QString>("damage");
    QTest::addColumn<bool>("extract");
    QTest::addColumn<QString>("expected"); // in stderr, when it fails
    for (bool extract : {false, true}) {
        const char *mode = extract ? "extract" : "fuse";
        QTest::addRow("no image, %s", mode) << "cut-all" << extract << "no image appended";
        QTest::addRow("cut in half, %s", mode) << "cut-half" << extract << "truncated";
        QTest::addRow("bad superblock, %s", mode) << "superblock" << extract << "corrupted";
        QTest::addRow("flipped data, %s", mode) << "data" << extract << "corrupted";
    }
}

void TestAppImageRuntime::damagedImageFailsClearly()
{
    QFETCH(QString, damage);
    QFETCH(bool, extract);
    QFETCH(QString, expected);
    const QString image = copyOfImage("damaged.AppImage");
    QFile file(image);
    QVERIFY(file.open(QIODevice::ReadWrite));
    const qint64 imageSize = file.size() - m_runtimeSize;
    if (damage == "cut-all")
        QVERIFY(file.resize(m_runtimeSize));
    else if (damage == "cut-half")
        QVERIFY(file.resize(m_runtimeSize + imageSize / 2));
    else {
        const qint64 at = damage == "superblock" ? m_runtimeSize : m_runtimeSize + imageSize / 3;
        QVERIFY(file.seek(at));
        QByteArray bytes = file.read(64);
        for (char &byte : bytes)
            byte = static_cast<char>(~byte);
        QVERIFY(file.seek(at));
        file.write(bytes);
    }
    file.close();
    ProcessResult r = run(image, {}, extract, 20000);
    QVERIFY2(r.finished, qPrintable("hung: " + r.describe()));
    if (r.exitCode == 0 && !r.crashed) // flipped data in a file nobody reads: it just works
        QVERIFY2(damage == "data" && !extract && r.out.contains("payload-ok"),
                 qPrintable(r.describe()));
    else
        QVERIFY2(r.err.contains(expected.toLocal8Bit()) || (damage == "data" && !extract),
                 qPrintable(r.describe()));
}

void TestAppImageRuntime::withoutFuseFallsBackToExtraction()
{
    if (!runningAsRoot())
        QSKIP("hiding /dev/fuse needs a private mount namespace, so root");
    // /dev/fuse replaced by an empty file: what a container without the device has.
    const QString fake = m_scratch->filePath("not-a-device");
    QFile(fake).open(QIODevice::WriteOnly);
    ProcessResult r =
        runProcess("unshare",
                   {"--mount", "--propagation", "private", "sh", "-c",
                    "mount --bind \"$0\" /dev/fuse && exec \"$1\" nofuse", fake, m_image},
                   environment(false), m_scratch->path());
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.err.startsWith("test.AppImage: FUSE unavailable"), qPrintable(r.describe()));
    QCOMPARE(r.err.count('\n'), 1); // one line of notice, no more
    QVERIFY(r.out.contains("ARG=[nofuse]\npayload-ok"));
}

// An ordinary user mounts through the setuid helper (fusermount3, or fusermount
// on FUSE 2 hosts). Distributions ship /dev/fuse as 0666; where this machine
// does not, a private mount namespace gets such a node.
void TestAppImageRuntime::unprivilegedMountThroughHelper()
{
    if (!runningAsRoot())
        QSKIP("staging a user-accessible /dev/fuse and switching user need root");
    if (!QFileInfo::exists("/dev/fuse"))
        QSKIP("this host has no /dev/fuse");
    if (QStandardPaths::findExecutable("fusermount3").isEmpty() &&
        QStandardPaths::findExecutable("fusermount").isEmpty())
        QSKIP("neither fusermount3 nor fusermount is installed (package fuse3)");
    const QString node = m_scratch->filePath("fuse");
    ProcessResult made = runProcess("mknod", {"-m", "0666", node, "c", "10", "229"});
    if (made.exitCode != 0)
        QSKIP(qPrintable("cannot make a device node here: " + made.describe()));
    QFile::setPermissions(m_scratch->filePath("tmp"), QFile::Permissions(0x7777));
    QStringList script{"--mount", "--propagation",
                       "private", "sh",
                       "-c",      "mount --bind \"$0\" /dev/fuse && shift && exec setpriv \"$@\"",
                       node};
    script << asNobody() << m_image << "as-nobody";
    ProcessResult r = runProcess("unshare", script, environment(false), m_scratch->path());
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    if (r.err.contains("FUSE unavailable"))
        QSKIP(qPrintable("the helper refused on this machine: " + QString::fromLocal8Bit(r.err)));
    QVERIFY2(r.out.contains("APPDIR=" + m_scratch->filePath("tmp/.mount_test.A").toLocal8Bit()),
             qPrintable(r.describe()));
    QVERIFY(r.out.contains("ARG=[as-nobody]\npayload-ok"));
}

QStringList TestAppImageRuntime::asNobody() const
{
    return {"--reuid=65534", "--regid=65534", "--clear-groups"};
}

void TestAppImageRuntime::readOnlyCacheUsesTmpOrSaysWhy()
{
    // Root ignores permission bits: run the image as nobody then.
    const bool root = runningAsRoot();
    if (root && QStandardPaths::findExecutable("setpriv").isEmpty())
        QSKIP("setpriv (util-linux) is needed to drop root for this test");
    const QString readOnly = m_scratch->filePath("read-only");
    QVERIFY(QDir().mkpath(readOnly));
    QFile::setPermissions(readOnly,
                          QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther);
    const QString writableTmp = m_scratch->filePath("tmp-anyone");
    QVERIFY(QDir().mkpath(writableTmp));
    QFile::setPermissions(writableTmp, QFile::Permissions(0x7777));

    for (const bool tmpWritable : {true, false}) {
        QProcessEnvironment env = environment(true);
        env.insert("XDG_CACHE_HOME", readOnly);
        env.insert("TMPDIR", tmpWritable ? writableTmp : readOnly);
        QStringList args = root ? asNobody() : QStringList();
        args << m_image;
        ProcessResult r = runProcess(root ? "setpriv" : m_image, root ? args : QStringList(), env,
                                     m_scratch->path());
        QVERIFY2(r.finished, qPrintable("hung: " + r.describe()));
        if (tmpWritable) {
            QVERIFY2(r.exitCode == 0 && r.out.contains("payload-ok"), qPrintable(r.describe()));
            QVERIFY2(r.out.contains("APPDIR=" + writableTmp.toLocal8Bit() + "/appimage-"),
                     qPrintable(r.describe()));
        } else {
            QVERIFY2(r.exitCode == 127 && r.err.contains("cannot extract the image"),
                     qPrintable(r.describe()));
        }
    }
}

void TestAppImageRuntime::twoInstancesAtOnce_data()
{
    forwardsEnvironmentArgumentsAndStatus_data();
}

void TestAppImageRuntime::twoInstancesAtOnce()
{
    QFETCH(bool, extract);
    SKIP_UNLESS_FUSE(extract);
    QProcessEnvironment env = environment(extract);
    env.insert("SLEEP_FOR", "1");
    QProcess first, second;
    for (QProcess *p : {&first, &second}) {
        p->setProcessEnvironment(env);
        p->start(m_image, {});
    }
    for (QProcess *p : {&first, &second}) {
        QVERIFY(p->waitForFinished(30000));
        QCOMPARE(p->exitCode(), 0);
        QVERIFY(p->readAllStandardOutput().contains("payload-ok"));
    }
    if (extract) {
        const QStringList entries = QDir(m_scratch->filePath("cache/appimage"))
                                        .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(entries.size(), 1); // one copy, no half-written ".partial" left
        QCOMPARE(entries.first().size(), 64);
    }
}

QTEST_GUILESS_MAIN(TestAppImageRuntime)
#include "tst_appimageruntime.moc"

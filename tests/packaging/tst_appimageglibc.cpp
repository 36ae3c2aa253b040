// SPDX-License-Identifier: GPL-3.0-or-later
// Every ELF file in the built AppImage (its runtime, AppRun, the application,
// each bundled library and plugin) asks the host for symbol versions no newer
// than the documented floor (packaging/cmake/BundlePolicy.cmake): a newer one
// anywhere and the loader refuses the whole application on an older host.
// SOCKSCOPE_TEST_APPIMAGE checks another image (say, an older release).
#include "processrunner.h"

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <QVersionNumber>

namespace {
struct Floor
{
    QString prefix; // "GLIBC_"
    QVersionNumber version;
};

const Floor kFloors[] = {
    {QStringLiteral("GLIBC_"), QVersionNumber::fromString(QStringLiteral(GLIBC_FLOOR))},
    {QStringLiteral("GLIBCXX_"), QVersionNumber::fromString(QStringLiteral(GLIBCXX_FLOOR))},
    {QStringLiteral("CXXABI_"), QVersionNumber::fromString(QStringLiteral(CXXABI_FLOOR))},
};

// The floor a version name such as GLIBC_2.36 is held to; null when none.
const Floor *floorOf(const QString &name, QVersionNumber &version)
{
    for (const Floor &floor : kFloors) {
        if (name.startsWith(floor.prefix)) {
            version = QVersionNumber::fromString(name.mid(floor.prefix.size()));
            return &floor;
        }
    }
    return nullptr;
}

bool isElf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.read(4) == QByteArray("\x7f"
                                                                        "ELF");
}
} // namespace

class TestAppImageGlibc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QByteArray other = qgetenv("SOCKSCOPE_TEST_APPIMAGE");
        if (!other.isEmpty())
            m_appImage = QString::fromLocal8Bit(other);
        QVERIFY2(QFileInfo(m_appImage).isExecutable(),
                 qPrintable(m_appImage + " is missing: build the 'appimage' target"));
        QVERIFY(m_work.isValid());
        ProcessResult r = runProcess(m_appImage, {"--appimage-extract"}, {}, m_work.path());
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    }

    void everyFileWithinTheFloor()
    {
        QStringList files{m_appImage};
        QDirIterator it(m_work.path() + "/squashfs-root", QDir::Files | QDir::Hidden,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (!it.fileInfo().isSymLink() && isElf(path))
                files << path;
        }
        static const QRegularExpression need(QStringLiteral(R"(Name: (\S+)\s+Flags)"));
        static const QRegularExpression symbol(QStringLiteral(R"(\sUND (\S+)@(\S+))"));
        QStringList above;
        int versionsSeen = 0;
        for (const QString &file : std::as_const(files)) {
            ProcessResult r = runProcess(QStringLiteral("readelf"),
                                         {"--wide", "--version-info", "--dyn-syms", file});
            QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
            const QString text = QString::fromLocal8Bit(r.out);
            QMap<QString, QStringList> usersOf; // version name -> its symbols here
            for (const auto &m : symbol.globalMatch(text))
                usersOf[m.captured(2)] << m.captured(1);
            for (const auto &m : need.globalMatch(text)) {
                const QString name = m.captured(1);
                QVersionNumber version;
                const Floor *floor = floorOf(name, version);
                if (floor == nullptr)
                    continue;
                ++versionsSeen;
                if (version > floor->version)
                    above << QStringLiteral("%1: %2 (%3)")
                                 .arg(QDir(m_work.path()).relativeFilePath(file), name,
                                      usersOf.value(name).join(QLatin1String(", ")));
            }
        }
        qInfo("%lld ELF files, %d glibc/libstdc++ version needs, floor GLIBC_%s GLIBCXX_%s "
              "CXXABI_%s",
              static_cast<long long>(files.size()), versionsSeen, GLIBC_FLOOR, GLIBCXX_FLOOR,
              CXXABI_FLOOR);
        // A reading that finds nothing must not pass for a clean image.
        QVERIFY2(files.size() > 10 && versionsSeen > 10,
                 qPrintable(QStringLiteral("too few ELF files or version needs read")));
        QVERIFY2(above.isEmpty(),
                 qPrintable("above the floor (packaging/cmake/BundlePolicy.cmake):\n" +
                            above.join('\n')));
    }

private:
    QString m_appImage = QStringLiteral(SOCKSCOPE_APPIMAGE);
    QTemporaryDir m_work;
};

QTEST_GUILESS_MAIN(TestAppImageGlibc)
#include "tst_appimageglibc.moc"

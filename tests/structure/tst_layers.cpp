// SPDX-License-Identifier: GPL-3.0-or-later
// Reads every #include "folder/file.h" under core/, ui/ and app/ and checks it
// against the layers: a folder may include its own layer and those below it,
// and the folders' include graph has no cycle.
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {

// Lowest first. A folder may include any folder of its own or a lower layer.
const QList<QStringList> kLayers = {
    {"core/util", "core/model", "core/netns", "core/netlink", "core/owners", "core/events",
     "core/poller", "core/format", "core/trace", "core/metrics", "core/http"},
    {"core/explain"},
    {"core/lab"},
    {"core/console"},
    {"core/scenarios"},
    {"core/remote"},
    {"ui/itemmodels"},
    {"ui/theme", "ui/diagram", "ui/panes", "ui/labpanels", "ui/guide", "ui/session", "ui/help",
     "ui/sources", "ui/windows"},
    {"app", "app/cli", "app/window"},
};

int layerOf(const QString &folder)
{
    for (qsizetype i = 0; i < kLayers.size(); ++i) {
        if (kLayers[i].contains(folder))
            return static_cast<int>(i);
    }
    return -1;
}

// "core/owners" -> {"core/model", "core/util", ...}: the folders its files include.
using FolderGraph = QHash<QString, QSet<QString>>;

FolderGraph readIncludes(QStringList *unknown)
{
    static const QRegularExpression include(QStringLiteral("^\\s*#\\s*include\\s+\"([a-z0-9_]+)/"),
                                            QRegularExpression::MultilineOption);
    const QString root = QStringLiteral(SOCKSCOPE_SOURCE_DIR);
    FolderGraph graph;
    for (const char *top : {"core", "ui", "app"}) {
        QDirIterator it(root + QLatin1Char('/') + QLatin1String(top),
                        {QStringLiteral("*.h"), QStringLiteral("*.cpp"), QStringLiteral("*.c")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString relative = path.mid(root.size() + 1);
            const QString folder = relative.section(QLatin1Char('/'), 0, -2);
            const QString base = folder.section(QLatin1Char('/'), 0, 0);
            if (layerOf(folder) < 0)
                unknown->append(folder);
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            const QString text = QString::fromUtf8(file.readAll());
            graph[folder];
            for (auto match = include.globalMatch(text); match.hasNext();) {
                const QString target = match.next().captured(1);
                // Includes are relative to core/, ui/ or app/; find which holds it.
                QString resolved;
                for (const char *candidate : {"core", "ui", "app"}) {
                    const QString name = QLatin1String(candidate) + QLatin1Char('/') + target;
                    if (layerOf(name) >= 0 && (resolved.isEmpty() || candidate == base))
                        resolved = name;
                }
                if (resolved.isEmpty())
                    unknown->append(relative + QStringLiteral(" includes ") + target);
                else if (resolved != folder)
                    graph[folder].insert(resolved);
            }
        }
    }
    return graph;
}

bool findCycle(const FolderGraph &graph, const QString &node, QStringList &path,
               QSet<QString> &done)
{
    if (path.contains(node)) {
        path.append(node);
        return true;
    }
    if (done.contains(node))
        return false;
    path.append(node);
    for (const QString &next : graph.value(node)) {
        if (findCycle(graph, next, path, done))
            return true;
    }
    path.removeLast();
    done.insert(node);
    return false;
}

} // namespace

class TestLayers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFolderHasALayer()
    {
        QStringList unknown;
        const FolderGraph graph = readIncludes(&unknown);
        QVERIFY2(graph.size() > 15, "the source tree was not found");
        unknown.removeDuplicates();
        QVERIFY2(unknown.isEmpty(),
                 qPrintable(QStringLiteral("not in a layer (tests/structure/tst_layers.cpp): ") +
                            unknown.join(QStringLiteral(", "))));
    }

    void noIncludeReachesUp()
    {
        QStringList unknown;
        const FolderGraph graph = readIncludes(&unknown);
        QStringList wrong;
        for (auto it = graph.begin(); it != graph.end(); ++it) {
            for (const QString &target : it.value()) {
                if (layerOf(target) > layerOf(it.key()))
                    wrong << it.key() + QStringLiteral(" -> ") + target;
            }
        }
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QStringLiteral(", "))));
    }

    void foldersFormNoCycle()
    {
        QStringList unknown;
        const FolderGraph graph = readIncludes(&unknown);
        QSet<QString> done;
        for (auto it = graph.begin(); it != graph.end(); ++it) {
            QStringList path;
            QVERIFY2(!findCycle(graph, it.key(), path, done),
                     qPrintable(QStringLiteral("cycle: ") + path.join(QStringLiteral(" -> "))));
        }
    }
};

QTEST_GUILESS_MAIN(TestLayers)
#include "tst_layers.moc"

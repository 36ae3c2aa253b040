// SPDX-License-Identifier: GPL-3.0-or-later
// The window's command line. --interval overrides the saved poll interval for
// one run; without it the window must keep the saved one (it once got 250 ms).
#include "cli/commandline.h"
#include "window/guioptions.h"

#include <QCoreApplication>
#include <QTest>
#include <vector>

using namespace sockscope::cli;

namespace {
GuiCommandLine parse(const QStringList &arguments)
{
    std::vector<QByteArray> bytes;
    for (const QString &argument : arguments)
        bytes.push_back(argument.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &argument : bytes)
        argv.push_back(argument.data());
    return parseGuiCommandLine(static_cast<int>(argv.size()), argv.data());
}
} // namespace

class TestGuiOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void intervalIsSetOnlyWhenGiven()
    {
        const GuiCommandLine none = parse({QStringLiteral("sockscope")});
        QVERIFY(none.options);
        QCOMPARE(none.options->intervalMs, 0);

        const GuiCommandLine given = parse(
            {QStringLiteral("sockscope"), QStringLiteral("--interval"), QStringLiteral("500")});
        QVERIFY(given.options);
        QCOMPARE(given.options->intervalMs, 500);

        const GuiCommandLine bad =
            parse({QStringLiteral("sockscope"), QStringLiteral("--interval"), QStringLiteral("x")});
        QVERIFY(!bad.options);
        QCOMPARE(bad.exitStatus, kExitUsage);
    }

    // Each --also-netns is one more tab; one that does not resolve is a usage error.
    void alsoNetnsMustResolve()
    {
        const GuiCommandLine none = parse({QStringLiteral("sockscope")});
        QVERIFY(none.options);
        QVERIFY(none.options->alsoNs.isEmpty());
        const GuiCommandLine unknown =
            parse({QStringLiteral("sockscope"), QStringLiteral("--also-netns"),
                   QStringLiteral("sockscope-no-such-namespace")});
        QVERIFY(!unknown.options);
        QCOMPARE(unknown.exitStatus, kExitUsage);
    }
};

QTEST_GUILESS_MAIN(TestGuiOptions)
#include "tst_guioptions.moc"

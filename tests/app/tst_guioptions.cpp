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
};

QTEST_GUILESS_MAIN(TestGuiOptions)
#include "tst_guioptions.moc"

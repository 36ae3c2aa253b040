// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/guicommand.h"

#include "cli/commandline.h"
#include "guide/scenariopanel.h"
#include "itemmodels/sockettablemodel.h"
#include "poller/poller.h"
#include "scenarios/scenariocatalog.h"
#include "session/labsession.h"
#include "theme/darkpalette.h"
#include "windows/mainwindow.h"
#include "windows/windowassembly.h"

#include <cstdio>
#include <QAbstractItemModel>
#include <QApplication>
#include <QColor>
#include <QImage>
#include <QPalette>
#include <QPixmap>
#include <QRegularExpression>
#include <QTimer>

namespace sockscope::cli {

namespace {
Result<QSize> parseSize(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
    const auto match = pattern.match(text.trimmed());
    const int width = match.hasMatch() ? match.captured(1).toInt() : 0;
    const int height = match.hasMatch() ? match.captured(2).toInt() : 0;
    if (width < 200 || height < 150 || width > 8000 || height > 8000)
        return Error{EINVAL, QStringLiteral("invalid size '%1': use WIDTHxHEIGHT, e.g. 1280x800 "
                                            "(200x150 to 8000x8000)")
                                 .arg(text)};
    return QSize(width, height);
}

void useDarkPalette()
{
    QApplication::setStyle(QStringLiteral("Fusion"));
    QApplication::setPalette(darkPalette());
}

bool savePng(QWidget &window, const QString &file)
{
    if (window.grab().save(file, "PNG"))
        return true;
    std::fprintf(stderr,
                 "sockscope: cannot write the screenshot to '%s': check the folder exists "
                 "and is writable\n",
                 qPrintable(file));
    return false;
}

// Runs the scenario in the guided panel (all steps, or the first `steps`),
// lets two polls land, then renders the window.
int screenshotAfterScenario(AssembledWindow &assembled, const QString &scenario, int steps,
                            const QString &file)
{
    int status = 1;
    ScenarioPanel *panel = assembled.scenarios;
    auto finish = [&] {
        QTimer::singleShot(700, assembled.window.get(), [&] {
            status = savePng(*assembled.window, file) ? 0 : 1;
            QApplication::quit();
        });
    };
    QObject::connect(panel, &ScenarioPanel::stepFinished, assembled.window.get(),
                     [&, panel](int index) {
                         if (steps > 0 && index + 1 >= steps)
                             finish();
                         else if (steps > 0)
                             panel->next();
                     });
    QObject::connect(panel, &ScenarioPanel::scenarioFinished, assembled.window.get(), [&] {
        if (steps == 0)
            finish();
    });
    if (steps > 0) {
        QObject::connect(
            assembled.session, &LabSession::scenarioReady, assembled.window.get(),
            [panel] { panel->next(); }, Qt::QueuedConnection);
        panel->load(scenario);
    } else {
        panel->load(scenario);
        panel->runToEnd();
    }
    QApplication::exec();
    return status;
}

// Waits for a few polls so the table is filled, then renders the window.
int takeScreenshot(MainWindow &window, const QString &file)
{
    int status = 1;
    int batches = 0;
    QObject::connect(window.socketModel(), &QAbstractItemModel::rowsInserted, &window, [&] {
        if (batches++ == 0) {
            QTimer::singleShot(800, &window, [&] {
                const QPixmap pixmap = window.grab();
                if (pixmap.save(file, "PNG")) {
                    status = 0;
                } else {
                    std::fprintf(stderr,
                                 "sockscope: cannot write the screenshot to '%s': check the "
                                 "folder exists and is writable\n",
                                 qPrintable(file));
                }
                QApplication::quit();
            });
        }
    });
    // A machine without a single socket still gets its (empty) window.
    QTimer::singleShot(5000, &window, [&] {
        if (batches == 0) {
            status = window.grab().save(file, "PNG") ? 0 : 1;
            QApplication::quit();
        }
    });
    QApplication::exec();
    return status;
}
} // namespace

int runGui(int argc, char **argv)
{
    // Parsed before QApplication exists: bad arguments must give one clear line,
    // not the platform plugin's complaints.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("SockScope shows TCP sockets moving through the TCP state machine, live.\n\n"
                       "Commands:\n"
                       "  (none)     open the window\n"
                       "  dump       print the current sockets (sockscope dump --help)\n"
                       "  watch      stream socket events (sockscope watch --help)\n"
                       "  lab        the lab console on standard input (sockscope lab --help)\n"
                       "  scenario   run one of the pitfalls S1-S6 (sockscope scenario --help)"));
    parser.addOption({QStringLiteral("version"), QStringLiteral("Print the version and exit.")});
    parser.addOption({QStringLiteral("interval"), QStringLiteral("Poll every MS milliseconds."),
                      QStringLiteral("MS")});
    parser.addOption(
        {QStringLiteral("screenshot"),
         QStringLiteral("Render the main window into FILE (PNG) and exit; works without "
                        "a display."),
         QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Window size for --screenshot."),
                      QStringLiteral("WxH")});
    parser.addOption(
        {QStringLiteral("dark"),
         QStringLiteral("Use a dark palette (Fusion style) whatever the desktop's theme.")});
    parser.addOption({QStringLiteral("scenario"),
                      QStringLiteral("With --screenshot: run this scenario (S1..S6) in the guided "
                                     "panel first."),
                      QStringLiteral("Sn")});
    parser.addOption({QStringLiteral("steps"),
                      QStringLiteral("With --scenario: stop after N steps instead of at the end."),
                      QStringLiteral("N")});
    bool helpShown = false;
    if (auto parsed = parseArguments(parser, arguments, &helpShown); !parsed)
        return usageError(parsed.error().message);
    if (helpShown)
        return 0;
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("sockscope %s\n", SOCKSCOPE_VERSION);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(
            QStringLiteral("unknown command '%1': use dump, watch, lab, scenario, or no "
                           "command for the window (see --help)")
                .arg(parser.positionalArguments().first()));
    const Result<int> interval = intervalOption(parser);
    if (!interval)
        return usageError(interval.error().message);
    const int intervalMs = *interval;
    QSize size(1280, 800);
    if (parser.isSet(QStringLiteral("size"))) {
        auto parsedSize = parseSize(parser.value(QStringLiteral("size")));
        if (!parsedSize)
            return usageError(parsedSize.error().message);
        size = *parsedSize;
    }
    const bool screenshot = parser.isSet(QStringLiteral("screenshot"));
    QString scenario;
    if (parser.isSet(QStringLiteral("scenario"))) {
        scenario = parser.value(QStringLiteral("scenario")).trimmed().toUpper();
        if (!findScenario(scenario))
            return usageError(QStringLiteral("unknown scenario '%1': use S1 to S6").arg(scenario));
        if (!screenshot)
            return usageError(QStringLiteral("--scenario goes with --screenshot FILE"));
    }
    int steps = 0;
    if (parser.isSet(QStringLiteral("steps"))) {
        auto parsedSteps =
            parseBoundedInt(QStringLiteral("steps"), parser.value(QStringLiteral("steps")), 1, 100);
        if (!parsedSteps)
            return usageError(parsedSteps.error().message);
        steps = *parsedSteps;
    }
    const bool haveDisplay = qEnvironmentVariableIsSet("DISPLAY") ||
                             qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
                             qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
    if (!haveDisplay) {
        if (!screenshot) {
            std::fprintf(stderr,
                         "sockscope: no display (DISPLAY and WAYLAND_DISPLAY are unset): run it "
                         "in a desktop session, or use 'sockscope dump' / 'sockscope watch' "
                         "in a terminal\n");
            return 1;
        }
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }

    QApplication app(argc, argv);
    if (parser.isSet(QStringLiteral("dark")))
        useDarkPalette();
    AssembledWindow assembled =
        assembleWindow(QCoreApplication::applicationFilePath(), !screenshot);
    MainWindow &window = *assembled.window;
    window.poller()->setIntervalMs(intervalMs);
    if (screenshot) {
        window.resize(size);
        window.show();
        if (window.size() != size) {
            return usageError(
                QStringLiteral("--size %1x%2 is smaller than the window can be; use at "
                               "least %3x%4")
                    .arg(size.width())
                    .arg(size.height())
                    .arg(window.width())
                    .arg(window.height()));
        }
        if (!scenario.isEmpty())
            return screenshotAfterScenario(assembled, scenario, steps,
                                           parser.value(QStringLiteral("screenshot")));
        return takeScreenshot(window, parser.value(QStringLiteral("screenshot")));
    }
    window.show();
    return QApplication::exec();
}

} // namespace sockscope::cli

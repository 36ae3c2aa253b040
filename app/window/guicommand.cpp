// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/guicommand.h"

#include "cli/commandline.h"
#include "poller/poller.h"
#include "remote/remotesource.h"
#include "sources/sshsources.h"
#include "theme/darkpalette.h"
#include "window/askpass.h"
#include "window/guioptions.h"
#include "window/guiscreenshot.h"
#include "window/platformguard.h"
#include "window/remotewindow.h"
#include "window/settingsprobe.h"
#include "windows/mainwindow.h"
#include "windows/windowassembly.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <QApplication>
#include <QPointer>
#include <QScreen>
#include <QStatusBar>

namespace sockscope::cli {

namespace {

bool haveDisplay()
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
           qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}

int runWindow(const GuiOptions &options, int argc, char **argv)
{
    const bool screenshot = !options.screenshotFile.isEmpty();
    if (!haveDisplay()) {
        if (!screenshot) {
            std::fprintf(stderr,
                         "sockscope: no display (DISPLAY and WAYLAND_DISPLAY are unset): run it "
                         "in a desktop session, or use 'sockscope dump' / 'sockscope watch' "
                         "in a terminal\n");
            return 1;
        }
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }

    std::optional<PlatformGuard> guard(std::in_place);
    QApplication app(argc, argv);
    guard.reset();
    if (options.dark) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(darkPalette());
    }
    FirstSource first;
    first.ns = options.ns;
    // A server picked in the toolbar's list opens in a tab once the window
    // exists; where it has no sockscope, the window offers to copy it there.
    auto shown = std::make_shared<QPointer<MainWindow>>();
    first.makeRemote = [trace = options.trace, shown](const SshTarget &target) {
        RemoteSource *source = windowRemoteSource(target, trace);
        if (*shown)
            offerAgent(**shown, *source);
        return source;
    };
    first.sshConfig = options.sshConfig;
    first.alsoNs = options.alsoNs;
    RemoteSource *remote = options.ssh ? windowRemoteSource(*options.ssh, options.trace) : nullptr;
    if (remote) {
        remote->setLab(options.remoteLab);
        rememberServer(*options.ssh);
        first.remote = remote;
        first.remoteKey = options.ssh->sourceKey();
        first.remoteLabel = options.ssh->displayName();
        first.labOffReason = remoteLabOffReason();
    }
    AssembledWindow assembled =
        assembleWindow(QCoreApplication::applicationFilePath(), !screenshot, options.trace, first);
    MainWindow &window = *assembled.window;
    if (!screenshot)
        *shown = &window;
    if (remote)
        showRemote(window, *remote, !screenshot, options.installAgent);
    // Through the window, so that its spin box and the poller agree; without
    // --interval the saved interval restoreSettings() read stays.
    if (options.intervalMs > 0)
        window.setPollIntervalMs(options.intervalMs);
    if (!screenshot) {
        // A first start on a laptop (1280x800, 1366x768) must not open larger
        // than the screen, with the status bar out of sight.
        if (const QScreen *screen = window.screen())
            window.resize(window.size().boundedTo(screen->availableGeometry().size() * 0.95));
        window.show();
        if (const QString problem = settingsSaveProblem(); !problem.isEmpty()) {
            std::fprintf(stderr, "sockscope: %s\n", qPrintable(problem));
            constexpr int kShownMs = 30000;
            window.statusBar()->showMessage(problem, kShownMs);
        }
        return QApplication::exec();
    }
    window.resize(options.size);
    window.show();
    if (window.size() != options.size) {
        return usageError(QStringLiteral("--size %1x%2 is smaller than the window can be; use at "
                                         "least %3x%4")
                              .arg(options.size.width())
                              .arg(options.size.height())
                              .arg(window.width())
                              .arg(window.height()));
    }
    if (!options.scenario.isEmpty())
        return screenshotAfterScenario(assembled, options.scenario, options.steps,
                                       options.screenshotFile, options.select);
    if (options.showSources)
        return screenshotWithSources(assembled, options.screenshotFile);
    return takeScreenshot(window, options.screenshotFile, options.select);
}

} // namespace

int runGui(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet(kAskpassVariable))
        return runAskpass(argc, argv);
    const GuiCommandLine commandLine = parseGuiCommandLine(argc, argv);
    if (!commandLine.options)
        return commandLine.exitStatus;
    return runWindow(*commandLine.options, argc, argv);
}

} // namespace sockscope::cli

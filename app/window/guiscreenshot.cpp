// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/guiscreenshot.h"

#include "guide/scenariopanel.h"
#include "itemmodels/historymodel.h"
#include "itemmodels/socketfilterproxy.h"
#include "itemmodels/sockettablemodel.h"
#include "panes/connectiondetails.h"
#include "session/labsession.h"
#include "sources/sourcepicker.h"
#include "window/guioptions.h"
#include "windows/mainwindow.h"
#include "windows/windowassembly.h"

#include <cstdio>
#include <QAbstractItemModel>
#include <QApplication>
#include <QTableView>
#include <QTimer>

namespace sockscope::cli {

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

void selectThenShoot(MainWindow &window, const ScreenshotSelection &select,
                     const std::function<void()> &shoot)
{
    if (!select.any()) {
        shoot();
        return;
    }
    bool shown = false;
    if (!select.state.isEmpty()) {
        const int state = static_cast<int>(*tcpStateFromName(select.state));
        const QAbstractItemModel *rows = window.socketProxy();
        for (int row = 0; row < rows->rowCount() && !shown; ++row) {
            if (rows->index(row, 0).data(SocketTableModel::StateRole).toInt() == state) {
                window.socketView()->selectRow(row);
                shown = true;
            }
        }
    }
    if (!shown && select.ended && window.historyModel()->rowCount() > 0)
        shown = window.showConnection(window.historyModel()->idAt(0));
    if (!shown)
        std::fprintf(stderr, "sockscope: nothing to select for the screenshot (%s)\n",
                     select.state.isEmpty()
                         ? "no ended connection"
                         : qPrintable(QStringLiteral("no socket in ") + select.state));
    window.details()->showLadderTab();
    // The ladder's scroll area lays out on the next turn of the event loop.
    QTimer::singleShot(300, &window, shoot);
}

// The longest scenario run to its end takes about 20 s.
constexpr int kScenarioDeadlineMs = 120000;

int screenshotAfterScenario(AssembledWindow &assembled, const QString &scenario, int steps,
                            const QString &file, const ScreenshotSelection &select)
{
    int status = 1;
    ScenarioPanel *panel = assembled.scenarios;
    auto finish = [&] {
        QTimer::singleShot(700, assembled.window.get(), [&] {
            selectThenShoot(*assembled.window, select, [&] {
                status = savePng(*assembled.window, file) ? 0 : 1;
                QApplication::quit();
            });
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
    // A scenario that cannot start or never ends still gets its picture (the
    // window as it is, the reason on it) and a failing exit, never a hang.
    const auto shootAsIs = [&](const QString &why) {
        std::fprintf(stderr,
                     "sockscope: scenario %s: %s; the screenshot shows the window as it is\n",
                     qPrintable(scenario), qPrintable(why));
        QTimer::singleShot(300, assembled.window.get(), [&] {
            savePng(*assembled.window, file);
            QApplication::quit();
        });
    };
    QObject::connect(panel, &ScenarioPanel::scenarioRefused, assembled.window.get(),
                     [shootAsIs](const QString &reason) { shootAsIs(reason); });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, assembled.window.get(), [&] {
        shootAsIs(QStringLiteral("did not finish within %1 s").arg(kScenarioDeadlineMs / 1000));
    });
    deadline.start(kScenarioDeadlineMs);
    // Started once the window watches (tracing attached, first dump in), so
    // the scenario's connections are seen from their first transition on.
    const auto start = [&, panel] {
        if (steps > 0) {
            QObject::connect(
                assembled.session, &LabSession::scenarioReady, assembled.window.get(),
                [panel] { panel->next(); }, Qt::QueuedConnection);
            panel->load(scenario);
        } else {
            panel->load(scenario);
            panel->runToEnd();
        }
    };
    QObject::connect(assembled.window.get(), &MainWindow::batchApplied, assembled.window.get(),
                     start, Qt::SingleShotConnection);
    QApplication::exec();
    return status;
}

int takeScreenshot(MainWindow &window, const QString &file, const ScreenshotSelection &select)
{
    int status = 1;
    int batches = 0;
    auto shoot = [&] {
        selectThenShoot(window, select, [&] {
            status = savePng(window, file) ? 0 : 1;
            QApplication::quit();
        });
    };
    QObject::connect(window.socketModel(), &QAbstractItemModel::rowsInserted, &window, [&] {
        if (batches++ == 0)
            QTimer::singleShot(800, &window, shoot);
    });
    // A machine without a single socket still gets its (empty) window.
    QTimer::singleShot(5000, &window, [&] {
        if (batches == 0)
            shoot();
    });
    QApplication::exec();
    return status;
}

int screenshotWithSources(AssembledWindow &assembled, const QString &file)
{
    SourcePicker *picker = assembled.sources;
    int status = 1;
    // Listed first, so that the list opens at its full size, without the
    // animation a picture would catch halfway.
    QApplication::setEffectEnabled(Qt::UI_AnimateCombo, false);
    QObject::connect(picker, &SourcePicker::listed, picker, [&] {
        picker->QComboBox::showPopup();
        QTimer::singleShot(300, picker, [&] {
            const QImage image = picker->grabWindowWithList();
            picker->hidePopup();
            status = image.save(file, "PNG") ? 0 : 1;
            if (status != 0)
                std::fprintf(stderr, "sockscope: cannot write the screenshot to '%s'\n",
                             qPrintable(file));
            QApplication::quit();
        });
    });
    QTimer::singleShot(1500, picker, &SourcePicker::refresh);
    QApplication::exec();
    return status;
}

} // namespace sockscope::cli

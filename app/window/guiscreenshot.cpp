// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/guiscreenshot.h"

#include "guide/scenariopanel.h"
#include "itemmodels/sockettablemodel.h"
#include "session/labsession.h"
#include "windows/mainwindow.h"
#include "windows/windowassembly.h"

#include <cstdio>
#include <QAbstractItemModel>
#include <QApplication>
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

int takeScreenshot(MainWindow &window, const QString &file)
{
    int status = 1;
    int batches = 0;
    auto shoot = [&] {
        status = savePng(window, file) ? 0 : 1;
        QApplication::quit();
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

} // namespace sockscope::cli

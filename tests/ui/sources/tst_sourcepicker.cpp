// SPDX-License-Identifier: GPL-3.0-or-later
#include "guitesting.h"
#include "itemmodels/socketfilterproxy.h"
#include "itemmodels/sockettablemodel.h"
#include "labnamespace.h"
#include "labpanels/labobjectlist.h"
#include "labpanels/labpanel.h"
#include "namednamespace.h"
#include "netns.h"
#include "netns/networknamespace.h"
#include "sources/namespacesources.h"
#include "sources/sourcepicker.h"
#include "windows/labplacement.h"
#include "windows/mainwindow.h"
#include "windows/windowassembly.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace sockscope;
using namespace sockscope::test;

namespace {

const QString kBinary = QStringLiteral(SOCKSCOPE_BINARY);

// The pid owning the table's first row, 0 when it has none (yet).
int firstRowOwner(const SocketTableModel *model)
{
    const ConnectionView *first = model->connectionAt(0);
    return first && !first->owner.owners.isEmpty() ? first->owner.owners.first().pid : 0;
}

// Opens the list and chooses (arrow keys, Return) the entry whose label starts with `label` (or
// whose key it is), as a user does; false when the list has none.
bool pick(SourcePicker *picker, const QString &label)
{
    QSignalSpy listed(picker, &SourcePicker::listed);
    picker->showPopup();
    if (!listed.wait(20000))
        return false;
    for (int row = 0; row < picker->count(); ++row) {
        if (!picker->itemText(row).startsWith(label) && picker->itemData(row).toString() != label)
            continue;
        QAbstractItemView *view = picker->view();
        view->setCurrentIndex(view->model()->index(row, 0));
        QTest::keyClick(view, Qt::Key_Return);
        return true;
    }
    picker->hidePopup();
    return false;
}

} // namespace

class TestSourcePicker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void switchesToANamespaceAndBack()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        LabNamespace lab(kBinary, LabNamespace::Kind::Named, 31950);
        if (!lab.unavailable().isEmpty())
            QSKIP(qPrintable(lab.unavailable()));
        AssembledWindow assembled = assembleWindow(kBinary, false);
        MainWindow *window = assembled.window.get();
        window->resize(1280, 800);
        window->show();
        // Each source has its own tab and models: the table shows the current one's.
        const auto model = [window] { return window->socketModel(); };
        // The test runs in a private namespace of its own: not the machine's.
        const QString own = window->sourceKey();
        QCOMPARE(own, namespaceKey(NetworkNamespace{}));
        QCOMPARE(window->sourceLabel(), QStringLiteral("SockScope's own namespace"));
        QCOMPARE(window->windowTitle(), QStringLiteral("SockScope — SockScope's own namespace"));
        // Our own (private) namespace has nothing on the lab's port.
        QTest::qWait(300);
        QCOMPARE(rowsOnPort(model(), 31950), 0);

        const QString label = QStringLiteral("ip netns ") + lab.name();
        QVERIFY(pick(assembled.sources, label));
        QCOMPARE(window->sourceLabel(), label);
        QVERIFY(window->windowTitle().contains(lab.name()));
        // The listener and both ends of the connection, and nothing else.
        QTRY_COMPARE_WITH_TIMEOUT(rowsOnPort(model(), 31950), 3, 15000);
        QCOMPARE(model()->rowCount(), 3);
        // Owned by the lab inside it.
        QTRY_COMPARE_WITH_TIMEOUT(firstRowOwner(model()), int(lab.labPid()), 15000);
        savePickerShot(assembled);
        // The lab moved along (we are root here) and says where it acts.
        const QList<QLabel *> notices =
            window->findChildren<QLabel *>(QStringLiteral("labNamespaceNotice"));
        QCOMPARE(notices.size(), 3); // lab, bind checker, scenarios
        QVERIFY(!notices.first()->isHidden());
        QVERIFY2(notices.first()->text().startsWith(QStringLiteral("The lab acts in ") + label),
                 qPrintable(notices.first()->text()));
        QVERIFY(window->findChild<LabPanel *>()->isEnabled());

        // A filter belongs to the namespace it was typed in.
        auto *filter = window->findChild<QLineEdit *>(QStringLiteral("socketFilter"));
        filter->setText(QStringLiteral("established"));
        QVERIFY(pick(assembled.sources, own));
        QCOMPARE(window->sourceCount(), 2); // picking an open source brings its tab forward
        QCOMPARE(filter->text(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(rowsOnPort(model(), 31950), 0, 15000);
        QVERIFY(notices.first()->isHidden());
        QVERIFY(window->findChild<LabPanel *>()->isEnabled());
        QVERIFY(pick(assembled.sources, label));
        QCOMPARE(filter->text(), QStringLiteral("established"));
        QTRY_COMPARE_WITH_TIMEOUT(window->socketProxy()->rowCount(), 2, 15000);
    }

    // Root: the lab acts in the namespace shown. Its listener shows in the
    // table (owned by us), is in the namespace and not in ours, stays when
    // the window switches back, and goes when the notice's link moves the lab.
    void labMovesWithTheSource()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        NamedNamespace named;
        if (!named.unavailable().isEmpty())
            QSKIP(qPrintable(named.unavailable()));
        AssembledWindow assembled = assembleWindow(kBinary, false);
        MainWindow *window = assembled.window.get();
        window->resize(1280, 800);
        window->show();
        const QString own = window->sourceKey();
        const QString label = QStringLiteral("ip netns ") + named.name();
        QVERIFY(pick(assembled.sources, label));
        auto *lab = window->findChild<LabPanel *>();
        QVERIFY(lab->isEnabled());
        QSignalSpy answered(lab, &LabPanel::commandAnswered);
        lab->run(QStringLiteral("listen 127.0.0.1:31953"));
        QVERIFY(answered.wait(10000));
        const auto answer = answered.first().at(1).value<ConsoleAnswer>();
        QVERIFY2(answer.ok, qPrintable(answer.firstLine()));
        SocketTableModel *model = window->socketModel();
        QTRY_COMPARE_WITH_TIMEOUT(rowsOnPort(model, 31953), 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(firstRowOwner(model), int(QCoreApplication::applicationPid()),
                                  15000);
        QVERIFY(named.ssSockets().contains(QStringLiteral("LISTEN 127.0.0.1:31953 0.0.0.0:*")));
        saveLabShot(window);

        // Looking at another tab closes nothing: the lab stays with its listener.
        QVERIFY(pick(assembled.sources, own));
        auto *notice = window->findChild<QLabel *>(QStringLiteral("labNamespaceNotice"));
        QTRY_VERIFY_WITH_TIMEOUT(!notice->isHidden(), 5000);
        QVERIFY2(notice->text().contains(QStringLiteral("The lab acts in %1, where it has 1 object "
                                                        "open")
                                             .arg(label)),
                 qPrintable(notice->text()));
        QVERIFY(lab->isEnabled());
        QVERIFY(assembled.placement->labKey() != own);
        QVERIFY(lab->objectList()->itemOf(QStringLiteral("L1")) != nullptr);
        QVERIFY(named.ssSockets().contains(QStringLiteral("LISTEN 127.0.0.1:31953 0.0.0.0:*")));
        if (const QString prefix = qEnvironmentVariable("SOCKSCOPE_LAB_HOLD_PNG");
            !prefix.isEmpty())
            QVERIFY(saveShotsForPeople(window, prefix, QStringLiteral("labDock")));
        // Moving it is the user's choice, the notice's link: that closes them.
        QVERIFY(notice->text().contains(QLatin1String("<a href=\"move\">")));
        Q_EMIT notice->linkActivated(QStringLiteral("move"));
        QTRY_VERIFY_WITH_TIMEOUT(named.ssSockets().isEmpty(), 15000);
        QTRY_VERIFY2_WITH_TIMEOUT(
            notice->text().contains(QStringLiteral("closed the 1 object it had open in ") + label),
            qPrintable(notice->text()), 5000);
        QCOMPARE(assembled.placement->labKey(), own);
        QVERIFY(lab->objectList()->itemOf(QStringLiteral("L1")) == nullptr);
        // The namespace's tab stays open behind, and sees the listener go.
        QTRY_COMPARE_WITH_TIMEOUT(rowsOnPort(model, 31953), 0, 15000);
    }

    // Closing the tab of the namespace where the lab stayed with its objects
    // moves the lab to the tab in front, closing them, and says so.
    void closingTheLabsTabMovesIt()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        NamedNamespace named;
        if (!named.unavailable().isEmpty())
            QSKIP(qPrintable(named.unavailable()));
        AssembledWindow assembled = assembleWindow(kBinary, false);
        MainWindow *window = assembled.window.get();
        window->show();
        const QString own = window->sourceKey();
        QVERIFY(pick(assembled.sources, QStringLiteral("ip netns ") + named.name()));
        auto *lab = window->findChild<LabPanel *>();
        QSignalSpy answered(lab, &LabPanel::commandAnswered);
        lab->run(QStringLiteral("listen 127.0.0.1:31954"));
        QVERIFY(answered.wait(10000));
        QVERIFY(pick(assembled.sources, own));
        auto *notice = window->findChild<QLabel *>(QStringLiteral("labNamespaceNotice"));
        QTRY_VERIFY_WITH_TIMEOUT(notice->text().contains(QLatin1String("where it has 1 object")),
                                 5000);
        QVERIFY(named.ssSockets().contains(QStringLiteral("LISTEN 127.0.0.1:31954 0.0.0.0:*")));

        QVERIFY(window->closeSource(1));
        QTRY_VERIFY_WITH_TIMEOUT(named.ssSockets().isEmpty(), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(assembled.placement->labKey(), own, 5000);
        QTRY_VERIFY2_WITH_TIMEOUT(notice->text().contains(QLatin1String("closed the 1 object")),
                                  qPrintable(notice->text()), 5000);
    }

    // A source that is not a namespace of this machine (a server over ssh):
    // the lab panels are off and say why. Needs no privilege.
    void labOffWhereItCannotAct()
    {
        AssembledWindow assembled = assembleWindow(kBinary, false);
        MainWindow *window = assembled.window.get();
        QVERIFY(window->findChild<LabPanel *>()->isEnabled());
        window->openSource(makeNamespacePoller(NetworkNamespace{}, false),
                           QStringLiteral("ssh:test@server:22"), QStringLiteral("test@server"));
        auto *notice = window->findChild<QLabel *>(QStringLiteral("labNamespaceNotice"));
        QVERIFY(!notice->isHidden());
        QVERIFY2(notice->text().contains(QStringLiteral("acts on this machine only")),
                 qPrintable(notice->text()));
        QVERIFY(notice->text().contains(QStringLiteral("test@server")));
        QVERIFY(!window->findChild<LabPanel *>()->isEnabled());
    }

private:
    // With SOCKSCOPE_LAB_NETNS_PNG=FILE: the window with the lab acting in the namespace.
    static void saveLabShot(MainWindow *window)
    {
        const QString file = qEnvironmentVariable("SOCKSCOPE_LAB_NETNS_PNG");
        if (!file.isEmpty())
            QVERIFY(window->grab().save(file));
    }

    // With SOCKSCOPE_PICKER_PNG=FILE: the window with the list open over it.
    static void savePickerShot(AssembledWindow &assembled)
    {
        const QString file = qEnvironmentVariable("SOCKSCOPE_PICKER_PNG");
        if (file.isEmpty())
            return;
        QSignalSpy listed(assembled.sources, &SourcePicker::listed);
        assembled.sources->showPopup();
        listed.wait(20000);
        QTest::qWait(200);
        const QImage image = assembled.sources->grabWindowWithList();
        assembled.sources->hidePopup();
        QVERIFY(image.save(file));
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestSourcePicker, QApplication)
#include "tst_sourcepicker.moc"

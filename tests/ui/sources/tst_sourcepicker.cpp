// SPDX-License-Identifier: GPL-3.0-or-later
#include "guitesting.h"
#include "itemmodels/socketfilterproxy.h"
#include "itemmodels/sockettablemodel.h"
#include "labnamespace.h"
#include "labpanels/labpanel.h"
#include "netns.h"
#include "netns/networknamespace.h"
#include "sources/namespacesources.h"
#include "sources/sourcepicker.h"
#include "windows/mainwindow.h"
#include "windows/windowassembly.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace sockscope;
using namespace sockscope::test;

namespace {

const QString kBinary = QStringLiteral(SOCKSCOPE_BINARY);

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
        const auto ownerPid = [model] {
            const ConnectionView *first = model()->connectionAt(0);
            return first && !first->owner.owners.isEmpty() ? first->owner.owners.first().pid : 0;
        };
        QTRY_COMPARE_WITH_TIMEOUT(ownerPid(), int(lab.labPid()), 15000);
        savePickerShot(assembled);
        // The lab says it works in SockScope's own namespace only.
        const QList<QLabel *> notices =
            window->findChildren<QLabel *>(QStringLiteral("labNamespaceNotice"));
        QCOMPARE(notices.size(), 3); // lab, bind checker, scenarios
        QVERIFY(!notices.first()->isHidden());
        QVERIFY(notices.first()->text().contains(label));
        QVERIFY(!window->findChild<LabPanel *>()->isEnabled());

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

private:
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

// SPDX-License-Identifier: GPL-3.0-or-later
// The lab panel's parts without a lab: the console lines the forms and the
// object buttons build, the transcript's links, the culprit helpers.
#include "guitesting.h"
#include "labpanels/answerview.h"
#include "labpanels/clientform.h"
#include "labpanels/culprits.h"
#include "labpanels/labobjectlist.h"
#include "labpanels/listenerform.h"
#include "labpanels/serverform.h"
#include "netns.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTreeWidget>

using namespace sockscope;
using namespace sockscope::test;

namespace {

SocketRecord loopbackSocket(TcpState state, std::uint16_t local, std::uint16_t remote,
                            std::uint64_t cookie)
{
    SocketRecord socket;
    socket.state = state;
    socket.local.address = {127, 0, 0, 1};
    socket.local.port = local;
    if (remote != 0) {
        socket.remote.address = {127, 0, 0, 1};
        socket.remote.port = remote;
    }
    socket.cookie = cookie;
    return socket;
}

Culprit culpritOf(const SocketRecord &socket)
{
    Culprit culprit;
    culprit.socket = socket;
    culprit.description = QStringLiteral("the socket");
    culprit.whenItEnds = QStringLiteral("it goes away when that process closes it");
    return culprit;
}

ConsoleAnswer answerFor(const QStringList &ids, const QString &text)
{
    ConsoleAnswer answer = ConsoleAnswer::success(text);
    answer.ids = ids;
    return answer;
}

} // namespace

class TestLabForms : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listenerCommand_data();
    void listenerCommand();
    void clientCommand_data();
    void clientCommand();
    void serverCommand();
    void objectsBuildCommandsForTheSelection();
    void serversReportTheirPids();
    void focusOfCulprits_data();
    void focusOfCulprits();
    void transcriptLinksTheCulprits();
};

void TestLabForms::listenerCommand_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("reuseAddr");
    QTest::addColumn<int>("backlog");
    QTest::addColumn<QString>("accept");
    QTest::addColumn<bool>("thread");
    QTest::addColumn<QString>("expected");
    QTest::newRow("defaults") << "127.0.0.1:9000" << false << 128 << "auto" << false
                              << "listen 127.0.0.1:9000";
    QTest::newRow("S1 shape") << "127.0.0.1:9001" << true << 128 << "auto" << true
                              << "listen 127.0.0.1:9001 reuseaddr thread";
    QTest::newRow("S4 server") << " 127.0.0.1:9000 " << false << 16 << "close" << false
                               << "listen 127.0.0.1:9000 backlog 16 accept close";
    QTest::newRow("no address") << "" << false << 128 << "auto" << false << "";
}

void TestLabForms::listenerCommand()
{
    QFETCH(QString, address);
    QFETCH(bool, reuseAddr);
    QFETCH(int, backlog);
    QFETCH(QString, accept);
    QFETCH(bool, thread);
    QFETCH(QString, expected);
    ListenerForm form;
    form.addressEdit()->setText(address);
    form.findChild<QCheckBox *>(QStringLiteral("listenReuseAddr"))->setChecked(reuseAddr);
    form.findChild<QSpinBox *>(QStringLiteral("listenBacklog"))->setValue(backlog);
    QVERIFY(choose(form.acceptCombo(), accept));
    form.findChild<QCheckBox *>(QStringLiteral("listenThread"))->setChecked(thread);
    QCOMPARE(form.command(), expected);
    QCOMPARE(form.button()->isEnabled(), !expected.isEmpty());
    if (!expected.isEmpty())
        QVERIFY(form.button()->toolTip().contains(expected));
}

void TestLabForms::clientCommand_data()
{
    QTest::addColumn<bool>("useFrom");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("then");
    QTest::addColumn<QString>("expected");
    QTest::newRow("one") << false << 1 << "keep"
                         << "connect 127.0.0.1:9000 then keep";
    QTest::newRow("many") << false << 50 << "close"
                          << "connect 127.0.0.1:9000 count 50 then close";
    // A fixed local port allows one connection: the count is left out.
    QTest::newRow("S4 client") << true << 50 << "never-close"
                               << "connect 127.0.0.1:9000 from 127.0.0.1:10001 then never-close";
}

void TestLabForms::clientCommand()
{
    QFETCH(bool, useFrom);
    QFETCH(int, count);
    QFETCH(QString, then);
    QFETCH(QString, expected);
    ClientForm form;
    form.fromCheck()->setChecked(useFrom);
    form.countSpin()->setValue(count);
    QVERIFY(choose(form.thenCombo(), then));
    QCOMPARE(form.command(), expected);
    QCOMPARE(form.countSpin()->isEnabled(), !useFrom);
}

void TestLabForms::serverCommand()
{
    ServerForm form;
    QCOMPARE(form.command(), QStringLiteral("server 127.0.0.1:9100 policy spin"));
    QVERIFY(!form.capSpin()->isEnabled());
    form.nofileSpin()->setValue(16);
    QVERIFY(choose(form.policyCombo(), QStringLiteral("cap")));
    QVERIFY(form.capSpin()->isEnabled());
    form.capSpin()->setValue(4);
    QCOMPARE(form.command(), QStringLiteral("server 127.0.0.1:9100 nofile 16 policy cap 4"));
}

void TestLabForms::objectsBuildCommandsForTheSelection()
{
    LabObjectList objects;
    using Action = LabObjectList::Action;
    QVERIFY(!objects.button(Action::CloseNaive)->isEnabled());
    objects.noteAnswer(
        answerFor({QStringLiteral("L1")}, QStringLiteral("L1 127.0.0.1:9000 listening backlog=128 "
                                                         "accept=close loop=event-loop")));
    // A new object is selected: the buttons act on it at once.
    QCOMPARE(objects.commandsFor(Action::CloseNaive), QStringList{"close L1 naive"});
    QCOMPARE(objects.commandsFor(Action::Rebind), QStringList{"rebind L1"});
    QCOMPARE(objects.commandsFor(Action::ToggleAccept), QStringList{"accept L1 pause"});
    QVERIFY(objects.commandsFor(Action::CloseClient).isEmpty());
    QVERIFY(!objects.button(Action::ResetClient)->isEnabled());

    objects.noteAnswer(
        answerFor({QStringLiteral("L1")}, QStringLiteral("L1 127.0.0.1:9000 listening backlog=128 "
                                                         "accept=pause loop=event-loop")));
    // Resume goes back to the mode before the pause; a failure changes nothing.
    QCOMPARE(objects.commandsFor(Action::ToggleAccept), QStringList{"accept L1 close"});
    ConsoleAnswer failed = ConsoleAnswer::failure(Error{EADDRINUSE, QStringLiteral("in use")});
    failed.ids = QStringList{QStringLiteral("L1")};
    objects.noteAnswer(failed);
    QCOMPARE(objects.commandsFor(Action::ToggleAccept), QStringList{"accept L1 close"});
    QCOMPARE(objects.itemOf(QStringLiteral("L1"))->text(1), failed.firstLine());

    // Clients fired together form one group; the group acts as its range.
    const QStringList clients{"C1", "C2", "C3", "C4", "C5"};
    objects.noteAnswer(answerFor(clients, QStringLiteral("C1..C5 5 of 5 connected")));
    QTreeWidgetItem *group = objects.itemOf(QStringLiteral("C1"))->parent();
    QCOMPARE(group->text(0), QStringLiteral("C1..C5"));
    QCOMPARE(group->childCount(), 5);
    QCOMPARE(objects.commandsFor(Action::CloseClient), QStringList{"close C1..C5"});
    QVERIFY(objects.commandsFor(Action::CloseNaive).isEmpty());
    objects.selectIds({"C4", "C1", "C2"});
    QCOMPARE(objects.commandsFor(Action::ShutdownClient),
             (QStringList{"shutdown C1..C2", "shutdown C4"}));
    objects.selectIds({"C3", "L1"});
    QCOMPARE(objects.commandsFor(Action::ResetClient), QStringList{"reset C3"});
    QCOMPARE(objects.commandsFor(Action::CloseGraceful), QStringList{"close L1 graceful"});
    QVERIFY(objects.button(Action::CloseGraceful)->toolTip().contains("close L1 graceful"));

    QSignalSpy requested(&objects, &LabObjectList::commandRequested);
    objects.button(Action::ResetClient)->click();
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), QStringLiteral("reset C3"));
    objects.setBusy(true);
    QVERIFY(!objects.button(Action::ResetClient)->isEnabled());
    objects.button(Action::ResetClient)->click();
    QCOMPARE(requested.size(), 1);
}

void TestLabForms::serversReportTheirPids()
{
    LabObjectList objects;
    objects.noteAnswer(answerFor({"P1"}, QStringLiteral("P1 pid=4242 running 127.0.0.1:9100 "
                                                        "nofile=16 policy=spin accepts=0")));
    objects.noteAnswer(answerFor({"P2"}, QStringLiteral("P2 pid=4243 running 127.0.0.1:9101 "
                                                        "nofile=0 policy=spin accepts=0")));
    QCOMPARE(objects.runningServerPids(), (QSet<int>{4242, 4243}));
    objects.selectIds({"P1", "P2"});
    QCOMPARE(objects.commandsFor(LabObjectList::Action::KillKill),
             (QStringList{"kill P1 kill", "kill P2 kill"}));
    objects.noteAnswer(answerFor({"P1"}, QStringLiteral("P1 pid=4242 exited 127.0.0.1:9100 "
                                                        "nofile=16 policy=spin exit-status=143")));
    QCOMPARE(objects.runningServerPids(), QSet<int>{4243});
}

void TestLabForms::focusOfCulprits_data()
{
    QTest::addColumn<QList<Culprit>>("culprits");
    QTest::addColumn<int>("port"); // -1: none
    const Culprit listener = culpritOf(loopbackSocket(TcpState::Listen, 9000, 0, 1));
    const Culprit finWait = culpritOf(loopbackSocket(TcpState::FinWait2, 9000, 40000, 2));
    const Culprit closeWait = culpritOf(loopbackSocket(TcpState::CloseWait, 40000, 9000, 3));
    const Culprit other = culpritOf(loopbackSocket(TcpState::CloseWait, 40001, 9001, 4));
    QTest::newRow("none") << QList<Culprit>{} << -1;
    QTest::newRow("local port shared") << QList<Culprit>{listener, finWait} << 9000;
    QTest::newRow("remote port shared") << QList<Culprit>{closeWait} << 40000;
    QTest::newRow("nothing shared") << QList<Culprit>{closeWait, other} << -1;
}

void TestLabForms::focusOfCulprits()
{
    QFETCH(QList<Culprit>, culprits);
    QFETCH(int, port);
    const SocketFocus focus = focusOf(culprits);
    QCOMPARE(focus.port ? int(*focus.port) : -1, port);
    QCOMPARE(focus.cookies.size(), culprits.size());
    for (int i = 0; i < culprits.size(); ++i)
        QCOMPARE(focus.cookies.at(i), culprits.at(i).socket.cookie);
}

void TestLabForms::transcriptLinksTheCulprits()
{
    AnswerView view;
    view.resize(420, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.addExchange(QStringLiteral("listen 127.0.0.1:9000"),
                     answerFor({"L1"}, QStringLiteral("L1 127.0.0.1:9000 listening")));
    QVERIFY(view.lastFocusLink().isEmpty());

    Explanation explanation;
    explanation.errnum = EADDRINUSE;
    explanation.errnoName = QStringLiteral("EADDRINUSE");
    explanation.summary = QStringLiteral("127.0.0.1:10001 is still held");
    explanation.culprits << culpritOf(loopbackSocket(TcpState::CloseWait, 10001, 9000, 77));
    view.addExchange(QStringLiteral("connect 127.0.0.1:9000 from 127.0.0.1:10001"),
                     ConsoleAnswer::failure(explanation, QStringLiteral("C2")));
    const QString shown = view.toPlainText();
    QVERIFY2(shown.contains(QStringLiteral("EADDRINUSE C2 127.0.0.1:10001 is still held")),
             qPrintable(shown));
    QVERIFY(shown.contains(QStringLiteral("(CLOSE_WAIT 127.0.0.1:10001 → 127.0.0.1:9000)")));
    QCOMPARE(view.lastFocusLink(), QStringLiteral("focus:2"));

    QSignalSpy focus(&view, &AnswerView::focusRequested);
    QVERIFY(clickLink(&view, view.lastFocusLink()));
    QCOMPARE(focus.size(), 1);
    QCOMPARE(focus.first().at(0).value<std::optional<std::uint16_t>>(),
             std::optional<std::uint16_t>(10001));
    QCOMPARE(focus.first().at(1).value<QList<std::uint64_t>>(), QList<std::uint64_t>{77});

    // A new palette redraws the transcript, links and all.
    view.setPalette(darkPalette());
    QCOMPARE(view.toPlainText(), shown);
    QVERIFY(clickLink(&view, QStringLiteral("focus:2")));
    QCOMPARE(focus.size(), 2);
}

SOCKSCOPE_TEST_MAIN_NETNS(TestLabForms, QApplication)

#include "tst_labforms.moc"

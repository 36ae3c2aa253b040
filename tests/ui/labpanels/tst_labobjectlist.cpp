// SPDX-License-Identifier: GPL-3.0-or-later
// The lab object list fed the console's real answers (built from statuses,
// without a lab): each object keeps its own last answer, failures included;
// accepted connections sit under their listener; a button is enabled only
// when its action is valid for the selection, and its tooltip says why not.
#include "console/labanswers.h"
#include "labpanels/labobjectlist.h"

#include <QApplication>
#include <QPushButton>
#include <QTest>
#include <QTreeWidget>

using namespace sockscope;
using Action = LabObjectList::Action;

namespace {

Endpoint loopback(std::uint16_t port)
{
    Endpoint endpoint;
    endpoint.address = {127, 0, 0, 1};
    endpoint.port = port;
    return endpoint;
}

ClientStatus client(const QString &id, ClientPhase phase, std::uint16_t port)
{
    ClientStatus status;
    status.id = id;
    status.local = loopback(port);
    status.remote = loopback(9000);
    status.phase = phase;
    return status;
}

ListenerStatus listener(bool open, QList<ClientStatus> connections = {})
{
    ListenerStatus status;
    status.id = QStringLiteral("L1");
    status.spec.local = loopback(9000);
    status.bound = loopback(9000);
    status.open = open;
    status.connections = std::move(connections);
    return status;
}

ConsoleAnswer answerAbout(const ClientStatus &status)
{
    ConsoleAnswer answer = ConsoleAnswer::success(clientText(status));
    noteObject(answer, status);
    return answer;
}

} // namespace

class TestLabObjectList : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eachObjectShowsItsOwnLastAnswer()
    {
        LabObjectList objects;
        ClientStatus refused = client(QStringLiteral("C2"), ClientPhase::Failed, 40002);
        refused.failure = Explanation{};
        refused.failure->errnum = ECONNREFUSED;
        refused.failure->errnoName = QStringLiteral("ECONNREFUSED");
        refused.failure->summary = QStringLiteral("nothing listens on 127.0.0.1:9000");
        const ConsoleAnswer fired =
            connectAnswer({client(QStringLiteral("C1"), ClientPhase::Connected, 40001), refused});
        objects.noteAnswer(fired);
        QTreeWidgetItem *group = objects.itemOf(QStringLiteral("C1"))->parent();
        QVERIFY(group->isSelected());
        QCOMPARE(group->text(1), fired.firstLine());
        QVERIFY2(objects.itemOf("C1")->text(1).startsWith(QLatin1String("ok C1 127.0.0.1:40001")),
                 qPrintable(objects.itemOf("C1")->text(1)));
        QVERIFY2(objects.itemOf("C2")->text(1).startsWith(QLatin1String("error ECONNREFUSED C2")),
                 qPrintable(objects.itemOf("C2")->text(1)));

        const ConsoleAnswer closed =
            answerAbout(client(QStringLiteral("C1"), ClientPhase::Closed, 40001));
        objects.noteAnswer(closed);
        QCOMPARE(objects.itemOf("C1")->text(1), closed.firstLine());
        // A later failure replaces the old answer, and the group keeps its own.
        ConsoleAnswer failed =
            ConsoleAnswer::failure(Error{EINVAL, QStringLiteral("client C1 is closed")});
        noteObject(failed, client(QStringLiteral("C1"), ClientPhase::Closed, 40001));
        noteFailure(failed, QStringLiteral("C1"), failed);
        objects.noteAnswer(failed);
        QCOMPARE(objects.itemOf("C1")->text(1), QStringLiteral("error EINVAL client C1 is closed"));
        QCOMPARE(group->text(1), fired.firstLine());
    }

    void buttonsOnlyForValidActions()
    {
        LabObjectList objects;
        const QList<Action> connectionActions{Action::CloseClient, Action::ShutdownClient,
                                              Action::ResetClient};
        ClientStatus refused = client(QStringLiteral("C1"), ClientPhase::Failed, 40001);
        objects.noteAnswer(answerAbout(refused));
        for (Action action : connectionActions) {
            QVERIFY(!objects.button(action)->isEnabled());
            QVERIFY2(objects.button(action)->toolTip().contains(QLatin1String("C1 is failed")),
                     qPrintable(objects.button(action)->toolTip()));
        }

        // A listener closed while one connection it accepted stays open.
        ClientStatus accepted = client(QStringLiteral("L1.1"), ClientPhase::Connected, 9000);
        accepted.listener = QStringLiteral("L1");
        objects.noteAnswer(
            listenerCloseAnswer(listener(false, {accepted}), StopMode::Naive, false));
        QCOMPARE(objects.itemOf("L1.1")->parent(), objects.itemOf("L1"));
        objects.selectIds({QStringLiteral("L1")});
        for (Action action : {Action::CloseNaive, Action::CloseGraceful, Action::ToggleAccept})
            QVERIFY(!objects.button(action)->isEnabled());
        QVERIFY(objects.button(Action::Rebind)->isEnabled());
        const QString naive = objects.button(Action::CloseNaive)->toolTip();
        QVERIFY2(naive.contains(QLatin1String("close() the listening descriptor")) &&
                     naive.contains(QLatin1String("L1 is closed")),
                 qPrintable(naive));

        // A connect's answer tells of the listener's side too: listed under
        // it, not selected (the clients are what was made).
        ClientStatus second = client(QStringLiteral("L1.2"), ClientPhase::Connected, 9000);
        second.listener = QStringLiteral("L1");
        const ClientStatus mine = client(QStringLiteral("C7"), ClientPhase::Connected, 40007);
        ConsoleAnswer fired = connectAnswer({mine});
        noteMadeAlong(fired, second);
        objects.noteAnswer(fired);
        QCOMPARE(objects.itemOf("L1.2")->parent(), objects.itemOf("L1"));
        QVERIFY(!objects.itemOf("L1.2")->isSelected());
        QVERIFY(objects.itemOf("C7")->isSelected());

        objects.selectIds({QStringLiteral("L1.1"), QStringLiteral("C1")});
        QCOMPARE(objects.commandsFor(Action::CloseClient), QStringList{"close L1.1"});
        QCOMPARE(objects.commandsFor(Action::ShutdownClient), QStringList{"shutdown L1.1"});
        QVERIFY(objects.button(Action::ResetClient)->isEnabled());
        QVERIFY(
            objects.button(Action::ResetClient)->toolTip().contains(QLatin1String("SO_LINGER 0")));
        accepted.phase = ClientPhase::HalfClosed;
        objects.noteAnswer(answerAbout(accepted));
        QVERIFY(!objects.button(Action::ShutdownClient)->isEnabled());
        QVERIFY(objects.button(Action::CloseClient)->isEnabled());
        accepted.phase = ClientPhase::Reset;
        objects.noteAnswer(answerAbout(accepted));
        QVERIFY(!objects.button(Action::CloseClient)->isEnabled());

        ServerStatus server;
        server.id = QStringLiteral("P1");
        server.pid = 4242;
        ConsoleAnswer exited = ConsoleAnswer::success(serverText(server));
        noteObject(exited, server);
        objects.noteAnswer(exited);
        QVERIFY(!objects.button(Action::KillTerm)->isEnabled());
        QVERIFY(
            objects.button(Action::KillTerm)->toolTip().contains(QLatin1String("P1 is exited")));
    }
};

QTEST_MAIN(TestLabObjectList)
#include "tst_labobjectlist.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// A learner selects one end of a real loopback connection, closes it, and
// keeps looking at it after its row left the table; then finds it again in
// History and through the event log.
#include "itemmodels/historymodel.h"
#include "itemmodels/socketfilterproxy.h"
#include "itemmodels/sockettablemodel.h"
#include "loopback.h"
#include "netns.h"
#include "panes/connectiondetails.h"
#include "panes/eventlogpane.h"
#include "panes/historypane.h"
#include "panes/ladderwidget.h"
#include "poller/poller.h"
#include "windows/mainwindow.h"

#include <QApplication>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QTest>
#include <sys/socket.h>

using namespace sockscope;
using namespace sockscope::test;

namespace {
// The table's row of the end whose local port is `local` and peer port `remote`.
int rowOf(const SocketTableModel &model, std::uint16_t local, std::uint16_t remote)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        const ConnectionView *view = model.connectionAt(row);
        if (view && view->socket.local.port == local && view->socket.remote.port == remote)
            return row;
    }
    return -1;
}

// The summary above its table: the state, what it means, and when it ended.
QString headline(const ConnectionDetails &details)
{
    const QString text = details.summaryText();
    return text.left(text.indexOf(QLatin1String("Local")));
}

// The summary's own end (not its peer's) is shown as ended.
bool showsEnded(const ConnectionDetails &details)
{
    // Not its last state's meaning, which would read as still going on.
    const QString text = headline(details);
    return text.contains(QLatin1String("ended at")) &&
           text.contains(QLatin1String("the connection is over"));
}

bool localIs(const ConnectionDetails &details, const QString &address)
{
    const QString text = details.summaryText();
    const qsizetype local = text.indexOf(QLatin1String("Local"));
    return local >= 0 && text.mid(local + 5).trimmed().startsWith(address);
}

void select(MainWindow &window, int sourceRow)
{
    const QModelIndex index =
        window.socketProxy()->mapFromSource(window.socketModel()->index(sourceRow, 0));
    window.socketView()->selectRow(index.row());
}
} // namespace

class TestEndedConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void endedSelectionStaysInspectable()
    {
        UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        DumpFilter filter;
        filter.port = port;
        MainWindow window(new Poller(filter), false);
        window.resize(1400, 900);
        window.show();
        SocketTableModel &model = *window.socketModel();

        auto [client, server, clientPort] = connectPair(listener.get(), port);
        QVERIFY(clientPort != 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            rowOf(model, port, clientPort) >= 0 && rowOf(model, clientPort, port) >= 0, 5000);
        const std::uint64_t serverId = model.connectionAt(rowOf(model, port, clientPort))->id;
        const std::uint64_t clientId = model.connectionAt(rowOf(model, clientPort, port))->id;
        select(window, rowOf(model, port, clientPort));
        ConnectionDetails &details = *window.details();
        const QString serverAddress = QStringLiteral("127.0.0.1:%1").arg(port);
        QTRY_VERIFY(details.summaryText().contains(QLatin1String("ESTABLISHED")));
        // Both ends of the connection: the other one named and marked in the table.
        QVERIFY(details.summaryText().contains(QLatin1String("Other end, on this machine")));
        QVERIFY(model.index(rowOf(model, clientPort, port), 0).data(Qt::BackgroundRole).isValid());

        client.reset();
        char byte;
        QTRY_COMPARE_WITH_TIMEOUT(::recv(server.get(), &byte, 1, MSG_DONTWAIT), ssize_t(0), 5000);
        server.reset();
        // The server's end is gone, and after its fade its row too.
        QTRY_VERIFY_WITH_TIMEOUT(model.rowOf(serverId) < 0, 15000);
        QVERIFY(showsEnded(details));
        QVERIFY2(localIs(details, serverAddress), qPrintable(details.summaryText()));

        // History lists it; a click there brings it back after looking elsewhere.
        HistoryModel &ended = *window.historyModel();
        QTRY_VERIFY(ended.rowCount() >= 1);
        QCOMPARE(ended.idAt(0), serverId);
        select(window, model.rowOf(clientId));
        QTRY_VERIFY(headline(details).startsWith(QLatin1String("TIME_WAIT")));
        QTableView *list = window.historyPane()->view();
        list->show();
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                          list->visualRect(ended.index(0, 0)).center());
        QTRY_VERIFY(showsEnded(details));
        QVERIFY2(localIs(details, serverAddress), qPrintable(details.summaryText()));
        QVERIFY(window.socketView()->selectionModel()->selectedRows().isEmpty());

        // A double-click in the event log on the gone connection shows it too.
        select(window, model.rowOf(clientId));
        QTRY_VERIFY(headline(details).startsWith(QLatin1String("TIME_WAIT")));
        Q_EMIT window.eventLogPane()->connectionActivated(serverId);
        QVERIFY(showsEnded(details));

        // Its ladder needs its steps, which polling alone misses when the whole
        // close is quicker than one poll.
        const QString status = window.traceStatus()->text();
        if (!status.startsWith(QLatin1String("Tracing every transition")))
            QSKIP(qPrintable(QStringLiteral("the ladder needs tracing (CAP_BPF and CAP_PERFMON, "
                                            "or root); here: ") +
                             status));
        QVERIFY(!details.ladder()->ladder().segments.empty());
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestEndedConnection, QApplication)
#include "tst_endedconnection.moc"

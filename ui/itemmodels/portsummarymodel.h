// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "poller/pollbatch.h"

#include <array>
#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

namespace sockscope {

// One row per port that matters, with how many connections are in each TCP
// state. A port matters when something listens on it or it was chosen (below
// the ephemeral range, like a client's fixed port 10001); a connection from an
// ephemeral port counts for the port it talks to. A loopback connection counts
// for both ends' rows, so port 9000 shows its server side (FIN_WAIT2) and its
// clients (CLOSE_WAIT) together. Rows change incrementally: a batch moves the
// counts of the connections it names; only a listener opening or closing a
// port (which changes which ports matter) recounts everything.
class PortSummaryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        PortColumn,
        TotalColumn,
        FirstStateColumn
    };
    // The state columns, in lifecycle order.
    static const std::array<TcpState, 11> &stateColumns();
    enum Role
    {
        SortRole = Qt::UserRole + 1,
        PortRole,
        ListeningRole
    };

    explicit PortSummaryModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void applyBatch(const PollBatch &batch);
    // Forgets every port: the window shows another source now.
    void clear();

    using StateCounts = std::array<int, kTcpStateCount>;
    // Counts for one port (zeros when it has no row).
    StateCounts countsFor(std::uint16_t port) const;
    int rowOf(std::uint16_t port) const;

private:
    struct Member
    {
        TcpState state;
        std::uint16_t localPort;
        std::uint16_t remotePort;
    };
    struct Row
    {
        std::uint16_t port = 0;
        bool listening = false;
        StateCounts counts{};
        int total = 0;
    };
    struct Ports
    {
        std::array<std::uint16_t, 2> port{};
        int count = 0;
    };
    Ports portsOf(const Member &member) const;
    bool listening(std::uint16_t port) const { return m_listeners.value(port) > 0; }
    void tally(const Member &member, int delta, QSet<std::uint16_t> &touched);
    // Counts `member` joining (+1) or leaving (-1) the listeners; true when
    // that opened or closed a listening port.
    bool countListener(const Member &member, int delta);
    void recount();
    void showRows(const QSet<std::uint16_t> &ports);

    QHash<std::uint64_t, Member> m_members;
    QHash<std::uint16_t, int> m_listeners; // port -> LISTEN sockets on it
    QHash<std::uint16_t, Row> m_tally;     // the counts; m_rows shows them
    QList<Row> m_rows;
    QHash<std::uint16_t, int> m_rowByPort;
    int m_ephemeralStart = 32768;
};

} // namespace sockscope

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/tcpstate.h"
#include "owners/ownerinfo.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <QSortFilterProxyModel>
#include <QStringList>

namespace sockscope {

struct ConnectionView;
class SocketTableModel;

// Sorts by SocketTableModel::SortRole (numbers sort as numbers; rows that tie
// keep the two ends of a loopback connection together) and filters by
// whitespace-separated words that must all appear in a row's state, addresses
// or owner: "time_wait :9000" keeps TIME_WAIT rows on port 9000.
class SocketFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit SocketFilterProxy(QObject *parent = nullptr);

    void setFilterWords(const QString &text);
    QString filterWords() const { return m_words.join(QLatin1Char(' ')); }
    // Only sockets whose local or remote port is `port` (the ports pane's selection).
    void setPortFilter(std::optional<std::uint16_t> port);
    std::optional<std::uint16_t> portFilter() const { return m_port; }
    // Only sockets in this state (a click on the state diagram).
    void setStateFilter(std::optional<TcpState> state);
    std::optional<TcpState> stateFilter() const { return m_state; }

    void setSourceModel(QAbstractItemModel *model) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter(const std::function<void()> &change);
    bool wordsMatch(int sourceRow, const ConnectionView &view) const;
    const QString &ownerTextOf(const OwnerLookup &owner) const;

    QStringList m_words;
    QStringList m_lowerWords;
    const SocketTableModel *m_table = nullptr;
    // Reused by every row: filtering 100,000 rows allocates nothing per row
    // unless a word is not in the state or the addresses (then the owner is read).
    mutable QString m_haystack;
    mutable OwnerLookup m_cachedOwner;
    mutable QString m_cachedOwnerText;
    std::optional<std::uint16_t> m_port;
    std::optional<TcpState> m_state;
};

} // namespace sockscope

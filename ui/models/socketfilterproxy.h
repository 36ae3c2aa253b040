// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>
#include <QStringList>

namespace sockscope {

// Sorts by SocketTableModel::SortRole (numbers sort as numbers) and filters by
// whitespace-separated words that must all appear in a row's state, addresses
// or owner: "time_wait :9000" keeps TIME_WAIT rows on port 9000.
class SocketFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit SocketFilterProxy(QObject *parent = nullptr);

    void setFilterWords(const QString &text);
    QString filterWords() const { return m_words.join(QLatin1Char(' ')); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QStringList m_words;
};

} // namespace sockscope

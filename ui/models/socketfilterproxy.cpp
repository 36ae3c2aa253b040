// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/socketfilterproxy.h"

#include "models/sockettablemodel.h"

#include <algorithm>

namespace sockscope {

SocketFilterProxy::SocketFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(SocketTableModel::SortRole);
    setDynamicSortFilter(true);
}

void SocketFilterProxy::setFilterWords(const QString &text)
{
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words == m_words)
        return;
#if QT_VERSION >= QT_VERSION_CHECK(6, 9, 0)
    beginFilterChange();
    m_words = words;
    endFilterChange();
#else
    m_words = words;
    invalidateFilter();
#endif
}

bool SocketFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_words.isEmpty())
        return true;
    QString haystack;
    for (const int column : {SocketTableModel::StateColumn, SocketTableModel::LocalColumn,
                             SocketTableModel::RemoteColumn, SocketTableModel::OwnerColumn}) {
        haystack += sourceModel()->index(sourceRow, column, sourceParent).data().toString();
        haystack += QLatin1Char(' ');
    }
    // "[::1]:9000" must match the word ":9000" as well as "9000".
    haystack += QLatin1Char(' ');
    return std::all_of(m_words.cbegin(), m_words.cend(), [&haystack](const QString &word) {
        return haystack.contains(word, Qt::CaseInsensitive);
    });
}

} // namespace sockscope

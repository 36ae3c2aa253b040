// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemmodels/socketfilterproxy.h"

#include "itemmodels/sockettablemodel.h"

#include <algorithm>

namespace sockscope {

SocketFilterProxy::SocketFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(SocketTableModel::SortRole);
    setDynamicSortFilter(true);
}

void SocketFilterProxy::refilter(const std::function<void()> &change)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 9, 0)
    beginFilterChange();
    change();
    endFilterChange();
#else
    change();
    invalidateFilter();
#endif
}

void SocketFilterProxy::setFilterWords(const QString &text)
{
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words != m_words)
        refilter([&] { m_words = words; });
}

void SocketFilterProxy::setPortFilter(std::optional<std::uint16_t> port)
{
    if (port != m_port)
        refilter([&] { m_port = port; });
}

void SocketFilterProxy::setStateFilter(std::optional<TcpState> state)
{
    if (state != m_state)
        refilter([&] { m_state = state; });
}

bool SocketFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    const QModelIndex first = source->index(sourceRow, 0, sourceParent);
    if (m_port) {
        const auto *table = qobject_cast<const SocketTableModel *>(source);
        const ConnectionView *view = table ? table->connectionAt(sourceRow) : nullptr;
        if (!view || !touchesPort(view->socket, *m_port))
            return false;
    }
    if (m_state &&
        source->data(first, SocketTableModel::StateRole).toInt() != static_cast<int>(*m_state))
        return false;
    if (m_words.isEmpty())
        return true;
    QString haystack;
    for (const int column : {SocketTableModel::StateColumn, SocketTableModel::LocalColumn,
                             SocketTableModel::RemoteColumn, SocketTableModel::OwnerColumn}) {
        haystack += source->index(sourceRow, column, sourceParent).data().toString();
        haystack += QLatin1Char(' ');
    }
    // "[::1]:9000" must match the word ":9000" as well as "9000".
    haystack += QLatin1Char(' ');
    return std::all_of(m_words.cbegin(), m_words.cend(), [&haystack](const QString &word) {
        return haystack.contains(word, Qt::CaseInsensitive);
    });
}

} // namespace sockscope

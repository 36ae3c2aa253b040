// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemmodels/socketfilterproxy.h"

#include "format/ownertext.h"
#include "itemmodels/sockettablemodel.h"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>

namespace sockscope {

SocketFilterProxy::SocketFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(SocketTableModel::SortRole);
    setDynamicSortFilter(true);
}

void SocketFilterProxy::refilter(const std::function<void()> &change)
{
    // Not invalidateFilter(): it removes the rows that no longer pass one
    // run at a time, and a filter that keeps every tenth of 100,000 sorted
    // rows is 10,000 runs, each moving the whole mapping (half a second).
    // Rebuilding the mapping is one pass and one sort; selected rows that
    // still pass stay selected.
    change();
    invalidate();
}

void SocketFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_table = qobject_cast<const SocketTableModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void SocketFilterProxy::setFilterWords(const QString &text)
{
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words == m_words)
        return;
    refilter([&] {
        m_words = words;
        m_lowerWords.clear();
        for (const QString &word : words)
            m_lowerWords << word.toLower();
    });
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

namespace {
void appendEndpoint(QString &out, const Endpoint &endpoint, Family family)
{
    // Endpoint::text() without its allocations: "127.0.0.1:9000", "[::1]:9000".
    // IPv4 by hand: inet_ntop formats through sprintf, a third of a filter pass.
    char buffer[INET6_ADDRSTRLEN + 10] = {};
    char *at = buffer;
    char *const end = buffer + sizeof buffer;
    if (family == Family::IPv4) {
        for (int i = 0; i < 4; ++i) {
            if (i > 0)
                *at++ = '.';
            at = std::to_chars(at, end, endpoint.address[static_cast<std::size_t>(i)]).ptr;
        }
    } else {
        *at++ = '[';
        if (!::inet_ntop(AF_INET6, endpoint.address.data(), at, INET6_ADDRSTRLEN))
            *at = '?';
        at += std::char_traits<char>::length(at);
        *at++ = ']';
    }
    *at++ = ':';
    at = std::to_chars(at, end, endpoint.port).ptr;
    out += QLatin1StringView(buffer, at - buffer);
}

const QString &lowerStateName(TcpState state)
{
    static const auto names = [] {
        std::array<QString, kTcpStateCount> all;
        for (std::size_t i = 0; i < all.size(); ++i)
            all[i] = tcpStateName(static_cast<TcpState>(i)).toLower();
        return all;
    }();
    const auto index = static_cast<std::size_t>(state);
    return names[index < names.size() ? index : 0];
}
} // namespace

const QString &SocketFilterProxy::ownerTextOf(const OwnerLookup &owner) const
{
    // Rows of one process share its owner list: the text is made once per run
    // of such rows. The copy kept here holds the list alive, so its address
    // cannot be reused by another list while cached.
    if (owner.ownership != m_cachedOwner.ownership ||
        owner.owners.constData() != m_cachedOwner.owners.constData() ||
        owner.owners.size() != m_cachedOwner.owners.size() || m_cachedOwnerText.isNull()) {
        m_cachedOwner = owner;
        m_cachedOwnerText = ownerText(owner);
    }
    return m_cachedOwnerText;
}

bool SocketFilterProxy::wordsMatch(int sourceRow, const ConnectionView &view) const
{
    // The words match the shown state, addresses and owner; each word has no
    // spaces, so it lies within one of them. Addresses print in lower case.
    const SocketRecord &s = view.socket;
    m_haystack.resize(0);
    m_haystack += lowerStateName(s.state);
    m_haystack += QLatin1Char(' ');
    // The table's word for it too ("closed", "bound"), where it differs.
    if (s.state == TcpState::Close) {
        m_haystack += socketStateDisplayName(s).toLower();
        m_haystack += QLatin1Char(' ');
    }
    appendEndpoint(m_haystack, s.local, s.family);
    m_haystack += QLatin1Char(' ');
    appendEndpoint(m_haystack, s.remote, s.family);
    for (qsizetype i = 0; i < m_lowerWords.size(); ++i) {
        if (m_haystack.contains(m_lowerWords[i]))
            continue;
        // The owner column shows "lab · <owner>" for the lab's sockets.
        if (!ownerTextOf(view.owner).contains(m_words[i], Qt::CaseInsensitive) &&
            !(QStringLiteral("lab · ").contains(m_words[i], Qt::CaseInsensitive) &&
              m_table->index(sourceRow, 0).data(SocketTableModel::LabOwnedRole).toBool()))
            return false;
    }
    return true;
}

bool SocketFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (m_table && sortRole() == SocketTableModel::SortRole) {
        if (const auto less = m_table->lessThan(left.row(), right.row(), left.column()))
            return *less;
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

bool SocketFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const ConnectionView *view = m_table ? m_table->connectionAt(sourceRow) : nullptr;
    if (!view)
        return false;
    if (m_port && !touchesPort(view->socket, *m_port))
        return false;
    if (m_state && view->socket.state != *m_state)
        return false;
    return m_lowerWords.isEmpty() || wordsMatch(sourceRow, *view);
}

} // namespace sockscope

// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemmodels/eventlogmodel.h"

#include "format/durationtext.h"
#include "format/ownertext.h"
#include "format/socketjson.h"
#include "lab/labeventjson.h"

#include <algorithm>
#include <iterator>
#include <QBrush>
#include <QColor>
#include <QIODevice>
#include <QJsonDocument>

namespace sockscope {

namespace {
QJsonObject toJson(const SocketEvent &event)
{
    return eventToJson(event);
}
QJsonObject toJson(const LabEvent &event)
{
    return labEventToJson(event);
}
} // namespace

EventLogModel::EventLogModel(int limit, QObject *parent)
    : QAbstractTableModel(parent), m_limit(limit)
{
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case KindColumn:
        return tr("Event");
    case SourceColumn:
        return tr("Source");
    case ChangeColumn:
        return tr("Change");
    case LocalColumn:
        return tr("Local");
    case RemoteColumn:
        return tr("Peer");
    case DetailColumn:
        return tr("Details");
    default:
        return {};
    }
}

QString EventLogModel::cell(const Entry &entry, int column) const
{
    switch (column) {
    case TimeColumn:
        return offsetTextNs(entry.timeNs - m_originNs);
    case KindColumn:
        return entry.kind;
    case SourceColumn:
        return entry.origin;
    case ChangeColumn:
        return entry.change;
    case LocalColumn:
        return entry.local;
    case RemoteColumn:
        return entry.remote;
    case DetailColumn:
        return entry.detail;
    default:
        return {};
    }
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Entry &entry = m_entries[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return cell(entry, index.column());
    case SortRole:
        return index.column() == TimeColumn ? QVariant(static_cast<qlonglong>(entry.timeNs))
                                            : QVariant(cell(entry, index.column()));
    case ConnectionIdRole:
        return static_cast<qulonglong>(entry.connectionId);
    case KindRole:
        return entry.kind;
    case Qt::ForegroundRole:
        if (entry.kind == QLatin1String("error"))
            return QBrush(QColor(200, 40, 40));
        return {};
    case Qt::ToolTipRole:
        return index.column() == DetailColumn ? QVariant(entry.detail) : QVariant();
    default:
        return {};
    }
}

void EventLogModel::append(Entry entry)
{
    std::vector<Entry> one;
    one.push_back(std::move(entry));
    appendAll(std::move(one));
}

// One removal and one insertion for a whole batch: row by row, each removal
// at the top made the views and the proxy remap every row, which at the limit
// and thousands of traced events a second kept the GUI thread from ever
// catching up (the soak, docs/PERFORMANCE.md).
void EventLogModel::appendAll(std::vector<Entry> entries)
{
    if (entries.empty())
        return;
    if (m_originNs < 0)
        m_originNs = entries.front().timeNs;
    const std::size_t limit = static_cast<std::size_t>(std::max(m_limit, 0));
    // Of this batch, those older than the limit keeps never become rows.
    const std::size_t skipped = entries.size() > limit ? entries.size() - limit : 0;
    const std::size_t added = entries.size() - skipped;
    const std::size_t total = m_entries.size() + added;
    const std::size_t overflow = total > limit ? total - limit : 0; // <= m_entries.size()
    if (overflow > 0) {
        beginRemoveRows({}, 0, static_cast<int>(overflow) - 1);
        m_entries.erase(m_entries.begin(),
                        m_entries.begin() + static_cast<std::ptrdiff_t>(overflow));
        endRemoveRows();
    }
    m_dropped += static_cast<int>(overflow + skipped);
    if (added == 0)
        return;
    const int position = static_cast<int>(m_entries.size());
    beginInsertRows({}, position, position + static_cast<int>(added) - 1);
    std::move(entries.begin() + static_cast<std::ptrdiff_t>(skipped), entries.end(),
              std::back_inserter(m_entries));
    endInsertRows();
}

void EventLogModel::applyBatch(const PollBatch &batch)
{
    std::vector<Entry> entries;
    entries.reserve(batch.events.size());
    for (const SocketEvent &event : batch.events) {
        if (event.initial)
            continue;
        const SocketRecord &s = event.connection.socket;
        Entry entry;
        entry.timeMs = event.timeMs;
        // Events from before the tracker filled timeNs carry only milliseconds.
        entry.timeNs = event.timeNs != 0 ? event.timeNs : event.timeMs * 1000000;
        entry.kind = eventKindName(event.kind);
        entry.origin = eventSourceName(event.source);
        switch (event.kind) {
        case EventKind::Appeared:
            entry.change = tcpStateDisplayName(event.to);
            break;
        case EventKind::StateChanged:
            entry.change = tcpStateDisplayName(event.from) + QStringLiteral(" → ") +
                           tcpStateDisplayName(event.to);
            break;
        case EventKind::Gone:
            entry.change = tr("was %1").arg(tcpStateDisplayName(event.from));
            break;
        case EventKind::ResetSent:
        case EventKind::ResetReceived:
            entry.kind = event.kind == EventKind::ResetSent ? QStringLiteral("reset sent")
                                                            : QStringLiteral("reset received");
            entry.change = tr("in %1").arg(tcpStateDisplayName(event.from));
            break;
        }
        entry.local = s.local.text(s.family);
        entry.remote = s.remote.text(s.family);
        entry.detail = ownerText(event.connection.owner);
        // The process whose system call made a traced change, when the dump's
        // owner lookup has nobody (yet, or any more).
        if (event.pid > 0 && event.connection.owner.owners.isEmpty())
            entry.detail = tr("by pid %1 (%2)").arg(event.pid).arg(event.command);
        if (event.source == EventSource::Destroy)
            entry.detail += tr(" · seen by the kernel's destroy notice");
        entry.connectionId = event.connection.id;
        entry.source = event;
        entries.push_back(std::move(entry));
    }
    appendAll(std::move(entries));
}

void EventLogModel::appendLabEvent(const LabEvent &event)
{
    Entry entry;
    entry.timeMs = event.timeMs;
    entry.timeNs = event.timeMs * 1000000;
    entry.kind = event.failure ? QStringLiteral("error") : QStringLiteral("lab");
    entry.origin = QStringLiteral("lab");
    entry.change = event.objectId;
    entry.detail = labEventText(event);
    entry.source = event;
    append(std::move(entry));
}

QList<EventLogModel::LabMention> EventLogModel::labMentions(const QStringList &endpoints) const
{
    QList<LabMention> mentions;
    for (const Entry &entry : m_entries) {
        if (entry.kind != QLatin1String("lab") && entry.kind != QLatin1String("error"))
            continue;
        const bool touches =
            std::any_of(endpoints.cbegin(), endpoints.cend(), [&entry](const QString &endpoint) {
                return entry.detail.contains(endpoint);
            });
        if (!touches)
            continue;
        // Short enough for a timeline marker: the errno first, then the action.
        const QString action =
            entry.detail.section(QStringLiteral(" → "), 0, 0).section(QStringLiteral(": "), 0, 0);
        const auto *lab = std::get_if<LabEvent>(&entry.source);
        const QString errnoName = lab && lab->failure ? lab->failure->errnoName : QString();
        mentions << LabMention{
            entry.timeMs, errnoName.isEmpty() ? action : errnoName + QStringLiteral(" · ") + action,
            entry.kind == QLatin1String("error")};
    }
    return mentions;
}

QList<EventLogModel::LabMention> EventLogModel::resetMentions(std::uint64_t connectionId) const
{
    QList<LabMention> mentions;
    for (const Entry &entry : m_entries) {
        const auto *event = std::get_if<SocketEvent>(&entry.source);
        if (entry.connectionId == connectionId && event &&
            (event->kind == EventKind::ResetSent || event->kind == EventKind::ResetReceived))
            mentions << LabMention{entry.timeMs, entry.kind, true};
    }
    return mentions;
}

void EventLogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    m_dropped = 0;
    endResetModel();
}

bool EventLogModel::exportJsonLines(QIODevice *device, const QList<int> &rows) const
{
    const auto write = [&](const Entry &entry) {
        const QJsonObject json =
            std::visit([](const auto &event) { return toJson(event); }, entry.source);
        return device->write(QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n') >= 0;
    };
    if (rows.isEmpty())
        return std::all_of(m_entries.begin(), m_entries.end(), write);
    return std::all_of(rows.begin(), rows.end(), [&](int row) {
        return row < 0 || row >= rowCount() || write(m_entries[static_cast<std::size_t>(row)]);
    });
}

bool EventLogModel::exportCsv(QIODevice *device, const QList<int> &rows) const
{
    const auto quote = [](QString text) {
        if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
            text.contains(QLatin1Char('\n')))
            text = QLatin1Char('"') + text.replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
                   QLatin1Char('"');
        return text;
    };
    const auto write = [&](const Entry &entry) {
        QStringList cells{QString::number(entry.timeMs)};
        for (int column = KindColumn; column < ColumnCount; ++column)
            cells << quote(cell(entry, column));
        cells << QString::number(entry.connectionId);
        return device->write((cells.join(QLatin1Char(',')) + QStringLiteral("\r\n")).toUtf8()) >= 0;
    };
    if (device->write("time_ms,event,source,change,local,remote,details,connection_id\r\n") < 0)
        return false;
    if (rows.isEmpty())
        return std::all_of(m_entries.begin(), m_entries.end(), write);
    return std::all_of(rows.begin(), rows.end(), [&](int row) {
        return row < 0 || row >= rowCount() || write(m_entries[static_cast<std::size_t>(row)]);
    });
}

} // namespace sockscope

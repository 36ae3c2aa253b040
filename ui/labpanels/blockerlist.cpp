// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/blockerlist.h"

#include "format/durationtext.h"
#include "format/ownertext.h"
#include "labpanels/culprits.h"
#include "util/monotonic.h"

namespace sockscope {

namespace {

enum Role
{
    CookieRole = Qt::UserRole + 1,
    HeadRole,   // the lines above the last one: state, connection, owner
    EndsInRole, // qint64 ms after the answer, or invalid: no timer ends it
    StateRole,  // "TIME_WAIT", for the countdown's wording
};

QString capitalized(QString sentence)
{
    if (!sentence.isEmpty())
        sentence[0] = sentence[0].toUpper();
    return sentence;
}

} // namespace

BlockerList::BlockerList(QWidget *parent) : QListWidget(parent), m_clock(monotonicMs)
{
    setObjectName(QStringLiteral("blockerList"));
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setWordWrap(true);
    setTextElideMode(Qt::ElideNone);
    setAlternatingRowColors(true);
    setSpacing(2);
    setResizeMode(QListView::Adjust); // re-wrap when the dock is resized
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &BlockerList::refreshCountdowns);
}

void BlockerList::setCulprits(const QList<Culprit> &culprits, std::int64_t answeredMs)
{
    clear();
    m_answeredMs = answeredMs;
    for (const Culprit &culprit : culprits) {
        const QString state = socketStateDisplayName(culprit.socket);
        auto *item = new QListWidgetItem(this);
        item->setData(HeadRole, QStringLiteral("%1   %2\n%3")
                                    .arg(state, connectionText(culprit.socket),
                                         tr("owner: %1").arg(shortOwnerText(culprit.owner))));
        item->setData(StateRole, state);
        item->setData(CookieRole, QVariant::fromValue<quint64>(culprit.socket.cookie));
        if (culprit.endsInMs)
            item->setData(EndsInRole, QVariant::fromValue<qint64>(*culprit.endsInMs));
        else
            item->setText(item->data(HeadRole).toString() + QLatin1Char('\n') +
                          capitalized(culprit.whenItEnds));
        item->setToolTip(QStringLiteral("%1\n%2\n%3")
                             .arg(capitalized(culprit.description), ownerText(culprit.owner),
                                  capitalized(culprit.whenItEnds)));
    }
    refreshCountdowns();
}

void BlockerList::refreshCountdowns()
{
    const std::int64_t elapsed = m_clock() - m_answeredMs;
    bool counting = false;
    for (int i = 0; i < count(); ++i) {
        QListWidgetItem *entry = item(i);
        const QVariant endsIn = entry->data(EndsInRole);
        if (!endsIn.isValid())
            continue;
        const std::int64_t remaining = endsIn.toLongLong() - elapsed;
        counting = counting || remaining > 0;
        const QString ends =
            remaining > 0 ? tr("The kernel removes it in %1 (%2 timer)")
                                .arg(countdownText(remaining), entry->data(StateRole).toString())
                          : tr("Its timer has run out: check again");
        entry->setText(entry->data(HeadRole).toString() + QLatin1Char('\n') + ends);
    }
    if (counting && !m_tick.isActive())
        m_tick.start();
    else if (!counting)
        m_tick.stop();
}

QString BlockerList::endsLine(const QListWidgetItem *item)
{
    return item->text().section(QLatin1Char('\n'), -1);
}

QList<std::uint64_t> BlockerList::cookies() const
{
    QList<std::uint64_t> all;
    for (int i = 0; i < count(); ++i)
        all << item(i)->data(CookieRole).value<quint64>();
    return all;
}

QList<std::uint64_t> BlockerList::selectedCookies() const
{
    QList<std::uint64_t> chosen;
    for (int i = 0; i < count(); ++i) {
        if (item(i)->isSelected())
            chosen << item(i)->data(CookieRole).value<quint64>();
    }
    return chosen;
}

} // namespace sockscope

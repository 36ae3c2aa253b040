// SPDX-License-Identifier: GPL-3.0-or-later
#include "sources/sourcepicker.h"

#include <memory>
#include <QAbstractItemView>
#include <QFutureWatcher>
#include <QPainter>
#include <QPromise>
#include <QStandardItemModel>
#include <QThreadPool>

namespace sockscope {

SourcePicker::SourcePicker(QWidget *parent) : QComboBox(parent)
{
    setObjectName(QStringLiteral("sourcePicker"));
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setMinimumContentsLength(14);
    setToolTip(tr("What the window shows: this machine, a container's or another network "
                  "namespace (root), …; each one picked opens in a tab of its own"));
    connect(this, &QComboBox::activated, this, [this](int index) {
        if (m_filling || index < 0 || index >= m_entries.size())
            return;
        SourceEntry entry = m_entries.at(index);
        if (entry.ask) {
            setCurrentIndex(indexOfKey(m_currentKey)); // until the answer is made
            std::optional<SourceEntry> asked = entry.ask(this);
            if (!asked)
                return;
            entry = std::move(*asked);
        }
        if (entry.key == m_currentKey || !entry.enabled || !entry.make)
            return;
        Q_EMIT chosen(entry);
    });
}

void SourcePicker::addLister(SourceLister lister)
{
    m_listers << std::move(lister);
}

void SourcePicker::setCurrent(const QString &key, const QString &label)
{
    m_currentKey = key;
    m_currentLabel = label;
    if (indexOfKey(key) < 0) {
        SourceEntry entry;
        entry.key = key;
        entry.label = label;
        m_entries.prepend(entry);
    }
    fill(m_entries);
}

int SourcePicker::indexOfKey(const QString &key) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).key == key)
            return static_cast<int>(i);
    }
    return -1;
}

void SourcePicker::refresh()
{
    if (m_listing)
        return;
    m_listing = true;
    // The listing's result waits in the future's shared state: a picker gone
    // meanwhile (its watcher with it) simply never reads it.
    auto promise = std::make_shared<QPromise<QList<SourceEntry>>>();
    auto *watcher = new QFutureWatcher<QList<SourceEntry>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        m_listing = false;
        fill(watcher->future().result());
        watcher->deleteLater();
        Q_EMIT listed();
    });
    watcher->setFuture(promise->future());
    QThreadPool::globalInstance()->start([promise, listers = m_listers] {
        promise->start();
        QList<SourceEntry> entries;
        for (const SourceLister &lister : listers)
            entries << lister();
        promise->addResult(entries);
        promise->finish();
    });
}

void SourcePicker::showPopup()
{
    refresh();
    QComboBox::showPopup();
}

QImage SourcePicker::grabWindowWithList() const
{
    QWidget *top = window();
    QImage image = top->grab().toImage();
    const QWidget *list = view()->window();
    if (!list->isVisible())
        return image;
    QPainter painter(&image);
    painter.drawPixmap(top->mapFromGlobal(list->mapToGlobal(QPoint(0, 0))),
                       const_cast<QWidget *>(list)->grab());
    return image;
}

void SourcePicker::fill(const QList<SourceEntry> &entries)
{
    m_entries = entries;
    if (indexOfKey(m_currentKey) < 0 && !m_currentKey.isEmpty()) {
        SourceEntry current;
        current.key = m_currentKey;
        current.label = m_currentLabel;
        m_entries.prepend(current);
    }
    // Rebuilding the items must not read as a user's choice.
    m_filling = true;
    clear();
    for (const SourceEntry &entry : std::as_const(m_entries)) {
        addItem(entry.detail.isEmpty() ? entry.label
                                       : QStringLiteral("%1 · %2").arg(entry.label, entry.detail),
                entry.key);
        const int row = count() - 1;
        setItemData(row, entry.toolTip, Qt::ToolTipRole);
        if (auto *items = qobject_cast<QStandardItemModel *>(model()); items && !entry.enabled)
            items->item(row)->setEnabled(false);
    }
    setCurrentIndex(indexOfKey(m_currentKey));
    m_filling = false;
}

} // namespace sockscope

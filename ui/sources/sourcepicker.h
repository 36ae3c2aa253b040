// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sources/sourceentry.h"

#include <QComboBox>
#include <QImage>
#include <QList>

namespace sockscope {

// The toolbar's "Show:" list of what the window can show. Each lister adds
// its entries (namespaces here; servers may follow); they run on a worker
// thread whenever the list opens, so opening it never waits: it shows what
// was listed last and fills in when the listing is done.
class SourcePicker : public QComboBox
{
    Q_OBJECT
public:
    explicit SourcePicker(QWidget *parent = nullptr);

    void addLister(SourceLister lister);
    // The entry shown as current (the window's source): kept at the top of
    // the list even before a listing found it.
    void setCurrent(const QString &key, const QString &label);
    const QString &currentKey() const { return m_currentKey; }
    // Lists again, on a worker; listed() when the entries are in.
    void refresh();
    const QList<SourceEntry> &entries() const { return m_entries; }
    // The index of the entry with this key, or -1.
    int indexOfKey(const QString &key) const;

    void showPopup() override;
    // The window with the list drawn open over it, as a user sees it (the
    // list is a window of its own, which grabbing the main window leaves out).
    QImage grabWindowWithList() const;

Q_SIGNALS:
    // A user (or a test) picked another entry than the current one.
    void chosen(const sockscope::SourceEntry &entry);
    void listed();

private:
    void fill(const QList<SourceEntry> &entries);

    QList<SourceLister> m_listers;
    QList<SourceEntry> m_entries;
    QString m_currentKey;
    QString m_currentLabel;
    bool m_listing = false;
    bool m_filling = false;
};

} // namespace sockscope

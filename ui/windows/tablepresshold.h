// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTimer>

class QAbstractItemView;

namespace sockscope {

// Holds back the socket table's row removals while a mouse button is down on
// it and for a double-click's time after, so that vanishing rows do not move
// the row under the pointer between press and release (the click would land
// on another connection). The view shows a SocketFilterProxy; the model held
// is whichever one it filters at the press (each source tab has its own).
class TablePressHold : public QObject
{
public:
    explicit TablePressHold(QAbstractItemView *view);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void hold(bool on);

    QAbstractItemView *m_view;
    QTimer m_release;
};

} // namespace sockscope

// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/tablepresshold.h"

#include "itemmodels/socketfilterproxy.h"
#include "itemmodels/sockettablemodel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QMouseEvent>

namespace sockscope {

TablePressHold::TablePressHold(QAbstractItemView *view) : QObject(view), m_view(view)
{
    m_release.setSingleShot(true);
    m_release.setInterval(QApplication::doubleClickInterval());
    connect(&m_release, &QTimer::timeout, this, [this] { hold(false); });
    view->viewport()->installEventFilter(this);
}

void TablePressHold::hold(bool on)
{
    const auto *proxy = qobject_cast<const SocketFilterProxy *>(m_view->model());
    if (auto *model = proxy ? qobject_cast<SocketTableModel *>(proxy->sourceModel()) : nullptr)
        model->holdRemovals(on);
}

bool TablePressHold::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonDblClick:
        m_release.stop();
        hold(true);
        break;
    case QEvent::MouseButtonRelease:
        if (!static_cast<QMouseEvent *>(event)->buttons())
            m_release.start();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace sockscope

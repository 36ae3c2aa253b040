// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelqueries.h"

#include "itemmodels/sockettablemodel.h"

namespace sockscope::test {

int rowsOnPort(const SocketTableModel *model, quint16 port)
{
    int rows = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const ConnectionView *view = model->connectionAt(row);
        rows += view && (view->socket.local.port == port || view->socket.remote.port == port);
    }
    return rows;
}

const ConnectionView *connectionOn(const SocketTableModel &model, quint16 port, TcpState state)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        const ConnectionView *view = model.connectionAt(row);
        if (view && view->socket.local.port == port && view->socket.state == state)
            return view;
    }
    return nullptr;
}

} // namespace sockscope::test

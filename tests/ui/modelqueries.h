// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/tcpstate.h"

#include <QtGlobal>

namespace sockscope {
class SocketTableModel;
struct ConnectionView;
} // namespace sockscope

namespace sockscope::test {

// Rows of the socket table whose local or remote port is `port`.
int rowsOnPort(const SocketTableModel *model, quint16 port);
// The table's connection in `state` on local port `port`, or null.
const ConnectionView *connectionOn(const SocketTableModel &model, quint16 port, TcpState state);

} // namespace sockscope::test

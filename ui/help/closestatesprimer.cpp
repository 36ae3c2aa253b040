// SPDX-License-Identifier: GPL-3.0-or-later
#include "help/closestatesprimer.h"

#include <QCoreApplication>

namespace sockscope {

QString closeStatesPrimerHtml()
{
    return QCoreApplication::translate(
        "CloseStatesPrimer",
        "<h2>How a TCP connection closes</h2>"
        "<p>Each side closes its own direction with a FIN, and the other side acknowledges it "
        "with an ACK. The side that closes first (the <i>active</i> closer) and the side that "
        "closes second (the <i>passive</i> closer) go through different states.</p>"
        "<h3>The side that closes first</h3>"
        "<ul>"
        "<li><b>FIN_WAIT1</b>: close() or shutdown() sent a FIN; waiting for its ACK.</li>"
        "<li><b>FIN_WAIT2</b>: the FIN was acknowledged; waiting for the peer's FIN. A socket "
        "whose process already closed it (an orphan) does not wait for ever: the kernel drops "
        "it after <tt>net.ipv4.tcp_fin_timeout</tt> (60 s by default). The Timer column calls "
        "that timeout <i>fin-wait-2</i>; the kernel runs it on its timewait timer.</li>"
        "<li><b>CLOSING</b>: both sides sent a FIN at the same time; waiting for the ACK.</li>"
        "<li><b>TIME_WAIT</b>: the peer's FIN came and was acknowledged. The socket stays so "
        "that a late segment of this connection cannot be taken for part of a new connection "
        "between the same addresses and ports, and so that a lost last ACK can be sent again. "
        "Linux keeps it for 60 s, a fixed value (<tt>TCP_TIMEWAIT_LEN</tt>) that no sysctl "
        "changes. It holds its local port: a server restarted on that port needs SO_REUSEADDR "
        "set before bind().</li>"
        "</ul>"
        "<h3>The side that closes second</h3>"
        "<ul>"
        "<li><b>CLOSE_WAIT</b>: the peer sent its FIN and the kernel acknowledged it. Now it is "
        "up to <i>your code</i>: the process has not called close() on the socket yet. The "
        "kernel never ends this state on its own; many CLOSE_WAIT sockets that stay mean a "
        "program that forgets to close connections its peers have closed (read() returned "
        "0).</li>"
        "<li><b>LAST_ACK</b>: the process closed; its FIN waits for the peer's ACK.</li>"
        "</ul>"
        "<h3>The end</h3>"
        "<p><b>CLOSED</b>: the connection is over (the kernel's TCP_CLOSE: netstat, "
        "<tt>sockscope dump</tt> and the JSON say CLOSE). A socket that is only bound, with "
        "neither listen() nor connect(), "
        "is in the same kernel state: SockScope shows it as <b>BOUND</b> (ss 6.8 and later: "
        "BOUND-INACTIVE). It holds its port all the same.</p>"
        "<p>A reset (RST) skips all of this: both sides go to CLOSED at once, and no "
        "TIME_WAIT is left behind.</p>");
}

} // namespace sockscope

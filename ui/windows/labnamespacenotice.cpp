// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/labnamespacenotice.h"

#include "netns/networknamespace.h"
#include "sources/namespacesources.h"
#include "windows/mainwindow.h"

#include <QBoxLayout>
#include <QLabel>

namespace sockscope {

QWidget *withNamespaceNotice(QWidget *panel, MainWindow *window)
{
    auto *box = new QWidget(window);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *notice = new QLabel(box);
    notice->setObjectName(QStringLiteral("labNamespaceNotice"));
    notice->setWordWrap(true);
    notice->setAutoFillBackground(true);
    notice->setBackgroundRole(QPalette::ToolTipBase);
    notice->setForegroundRole(QPalette::ToolTipText);
    notice->setMargin(6);
    layout->addWidget(notice);
    layout->addWidget(panel, 1);
    const QString own = namespaceKey(NetworkNamespace{});
    const QString ownLabel = namespaceLabel(NetworkNamespace{});
    const auto follow = [notice, panel, own, ownLabel](const QString &key, const QString &label) {
        const bool ours = key == own;
        panel->setEnabled(ours);
        notice->setVisible(!ours);
        notice->setText(QObject::tr("The lab works in SockScope's own network namespace only: "
                                    "its sockets would not show in %1. Pick \"%2\" in the "
                                    "toolbar to use it.")
                            .arg(label, ownLabel));
    };
    QObject::connect(window, &MainWindow::sourceChanged, box, follow);
    follow(window->sourceKey(), window->sourceLabel());
    return box;
}

} // namespace sockscope

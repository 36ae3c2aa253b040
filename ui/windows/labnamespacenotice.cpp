// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/labnamespacenotice.h"

#include "windows/labplacement.h"

#include <QBoxLayout>
#include <QLabel>

namespace sockscope {

QWidget *withNamespaceNotice(QWidget *panel, LabPlacement *placement)
{
    auto *box = new QWidget(panel->parentWidget());
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
    const auto follow = [notice, panel](bool enabled, const QString &text) {
        panel->setEnabled(enabled);
        notice->setVisible(!text.isEmpty());
        notice->setText(text);
    };
    QObject::connect(placement, &LabPlacement::changed, box, follow);
    follow(placement->labEnabled(), placement->notice());
    return box;
}

} // namespace sockscope

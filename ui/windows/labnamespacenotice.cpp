// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/labnamespacenotice.h"

#include "windows/labplacement.h"

#include <QBoxLayout>
#include <QLabel>

namespace sockscope {

namespace {
// The panel under an empty notice line, in a box that takes the panel's place.
QLabel *noticeAbove(QWidget *panel, QWidget **box)
{
    *box = new QWidget(panel->parentWidget());
    auto *layout = new QVBoxLayout(*box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *notice = new QLabel(*box);
    notice->setObjectName(QStringLiteral("labNamespaceNotice"));
    notice->setWordWrap(true);
    notice->setAutoFillBackground(true);
    notice->setBackgroundRole(QPalette::ToolTipBase);
    notice->setForegroundRole(QPalette::ToolTipText);
    notice->setMargin(6);
    layout->addWidget(notice);
    layout->addWidget(panel, 1);
    return notice;
}
} // namespace

QWidget *withNamespaceNotice(QWidget *panel, LabPlacement *placement)
{
    QWidget *box = nullptr;
    QLabel *notice = noticeAbove(panel, &box);
    const auto follow = [notice, panel](bool enabled, const QString &text) {
        panel->setEnabled(enabled);
        notice->setVisible(!text.isEmpty());
        notice->setText(text);
    };
    QObject::connect(placement, &LabPlacement::changed, box, follow);
    // Its one link: move the lab, which stayed with its objects, to the tab in front.
    notice->setTextFormat(Qt::RichText);
    QObject::connect(notice, &QLabel::linkActivated, placement, &LabPlacement::moveHere);
    follow(placement->labEnabled(), placement->notice());
    return box;
}

QWidget *withNotice(QWidget *panel, const QString &text)
{
    QWidget *box = nullptr;
    noticeAbove(panel, &box)->setText(text);
    return box;
}

} // namespace sockscope

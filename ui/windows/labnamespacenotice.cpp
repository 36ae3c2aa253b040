// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/labnamespacenotice.h"

#include "windows/labplacement.h"

#include <QBoxLayout>
#include <QEvent>
#include <QLabel>

namespace sockscope {

namespace {
// Qt gives a rich text's links the application palette's link colour when it
// parses the text: after a palette change (the desktop turning dark) the
// notice parses its text again, or its link stays dark blue on dark grey.
class RelinkOnPaletteChange : public QObject
{
public:
    explicit RelinkOnPaletteChange(QLabel *label) : QObject(label), m_label(label)
    {
        label->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_label && event->type() == QEvent::PaletteChange) {
            const QString text = m_label->text();
            m_label->clear();
            m_label->setText(text);
        }
        return false;
    }

private:
    QLabel *m_label;
};

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
    new RelinkOnPaletteChange(notice);
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

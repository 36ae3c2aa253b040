// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/diagramstepbar.h"

#include <QAction>
#include <QBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace sockscope {

DiagramStepBar::DiagramStepBar(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("diagramStepBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    m_back = addStepAction(tr("◀"), tr("Step back through the connection's states"),
                           QKeySequence(Qt::ALT | Qt::Key_Left));
    m_forward = addStepAction(tr("▶"), tr("Step forward through the connection's states"),
                              QKeySequence(Qt::ALT | Qt::Key_Right));
    m_replay = addStepAction(tr("↺"), tr("Replay the connection's states from the start"),
                             QKeySequence(Qt::ALT | Qt::Key_Home));
    m_live = addStepAction(tr("Live"), tr("Follow the connection as it changes"),
                           QKeySequence(Qt::ALT | Qt::Key_End));
    m_live->setCheckable(true);
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("diagramStepCaption"));
    m_caption->setWordWrap(true);
    // Wraps rather than widening the diagram or clipping.
    m_caption->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_caption, 1);
}

QAction *DiagramStepBar::addStepAction(const QString &text, const QString &toolTip,
                                       const QKeySequence &key)
{
    auto *action = new QAction(text, this);
    action->setShortcut(key);
    action->setShortcutContext(Qt::WindowShortcut);
    action->setToolTip(
        QStringLiteral("%1 (%2)").arg(toolTip, key.toString(QKeySequence::NativeText)));
    addAction(action);
    auto *button = new QToolButton(this);
    button->setDefaultAction(action);
    button->setAutoRaise(true);
    static_cast<QBoxLayout *>(layout())->addWidget(button);
    return action;
}

void DiagramStepBar::setCaption(const QString &text)
{
    m_caption->setText(text);
    m_caption->setToolTip(text);
}

QString DiagramStepBar::caption() const
{
    return m_caption->text();
}

} // namespace sockscope

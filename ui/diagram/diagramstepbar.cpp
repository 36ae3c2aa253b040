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
    m_back =
        addStepAction(tr("Previous step"), tr("◀"), tr("Step back through the connection's states"),
                      QKeySequence(Qt::ALT | Qt::Key_Left));
    m_forward =
        addStepAction(tr("Next step"), tr("▶"), tr("Step forward through the connection's states"),
                      QKeySequence(Qt::ALT | Qt::Key_Right));
    m_replay = addStepAction(tr("Replay the connection"), tr("↺"),
                             tr("Replay the connection's states from the start"),
                             QKeySequence(Qt::ALT | Qt::Key_Home));
    m_live = addStepAction(tr("Follow the connection live"), tr("Live"),
                           tr("Follow the connection as it changes"),
                           QKeySequence(Qt::ALT | Qt::Key_End));
    m_live->setCheckable(true);
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("diagramStepCaption"));
    m_caption->setWordWrap(true);
    // Wraps rather than widening the diagram or clipping.
    m_caption->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    // Room for three lines whatever the caption says, so a longer caption
    // neither clips nor shrinks the diagram above it.
    m_caption->setFixedHeight(3 * m_caption->fontMetrics().lineSpacing() + 2);
    m_caption->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    layout->addWidget(m_caption, 1);
}

QAction *DiagramStepBar::addStepAction(const QString &text, const QString &glyph,
                                       const QString &toolTip, const QKeySequence &key)
{
    // The shortcut list reads text(); the button shows the glyph.
    auto *action = new QAction(text, this);
    action->setIconText(glyph);
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

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QAction;
class QLabel;

namespace sockscope {

// The strip under the state diagram that steps through the selected
// connection's history: back, forward, replay, live, and the step's caption.
// Its actions carry window-wide shortcuts (Alt+Left, Alt+Right, Alt+Home,
// Alt+End) so the keyboard steps wherever the focus is.
class DiagramStepBar : public QWidget
{
    Q_OBJECT
public:
    explicit DiagramStepBar(QWidget *parent = nullptr);

    QAction *backAction() const { return m_back; }
    QAction *forwardAction() const { return m_forward; }
    QAction *replayAction() const { return m_replay; }
    QAction *liveAction() const { return m_live; } // checked while following the connection

    void setCaption(const QString &text);
    QString caption() const;

private:
    QAction *addStepAction(const QString &text, const QString &glyph, const QString &toolTip,
                           const QKeySequence &key);

    QAction *m_back;
    QAction *m_forward;
    QAction *m_replay;
    QAction *m_live;
    QLabel *m_caption;
};

} // namespace sockscope

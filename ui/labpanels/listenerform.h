// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labpanels/labform.h"

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace sockscope {

// "Listeners": listen ADDR:PORT [reuseaddr] [reuseport] [backlog N] [accept MODE] [thread].
class ListenerForm : public LabForm
{
    Q_OBJECT
public:
    explicit ListenerForm(QWidget *parent = nullptr);
    QString command() const override;

    QLineEdit *addressEdit() const { return m_address; }
    QComboBox *acceptCombo() const { return m_accept; }

private:
    QLineEdit *m_address;
    QCheckBox *m_reuseAddr;
    QCheckBox *m_reusePort;
    QSpinBox *m_backlog;
    QComboBox *m_accept;
    QCheckBox *m_thread;
};

} // namespace sockscope

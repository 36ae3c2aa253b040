// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labpanels/labform.h"

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace sockscope {

// "Clients": connect ADDR:PORT [from ADDR:PORT] [reuseaddr] [count N] [then POLICY].
class ClientForm : public LabForm
{
    Q_OBJECT
public:
    explicit ClientForm(QWidget *parent = nullptr);
    QString command() const override;

    QLineEdit *targetEdit() const { return m_target; }
    QCheckBox *fromCheck() const { return m_useFrom; }
    QLineEdit *fromEdit() const { return m_from; }
    QSpinBox *countSpin() const { return m_count; }
    QComboBox *thenCombo() const { return m_then; }

private:
    void updateEnabled();

    QLineEdit *m_target;
    QCheckBox *m_useFrom;
    QLineEdit *m_from;
    QCheckBox *m_reuseAddr;
    QSpinBox *m_count;
    QComboBox *m_then;
};

} // namespace sockscope

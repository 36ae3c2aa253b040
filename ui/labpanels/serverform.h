// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labpanels/labform.h"

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace sockscope {

// "Server processes": server ADDR:PORT [nofile N] [reuseaddr] [reuseport]
// [policy spin|backoff|cap N], a child process with its own descriptor limit.
class ServerForm : public LabForm
{
    Q_OBJECT
public:
    explicit ServerForm(QWidget *parent = nullptr);
    QString command() const override;

    QLineEdit *addressEdit() const { return m_address; }
    QSpinBox *nofileSpin() const { return m_nofile; }
    QComboBox *policyCombo() const { return m_policy; }
    QSpinBox *capSpin() const { return m_cap; }

private:
    void updateEnabled();

    QLineEdit *m_address;
    QSpinBox *m_nofile;
    QCheckBox *m_reuseAddr;
    QCheckBox *m_reusePort;
    QComboBox *m_policy;
    QSpinBox *m_cap;
};

} // namespace sockscope

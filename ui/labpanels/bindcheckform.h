// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labpanels/labform.h"

class QCheckBox;

namespace sockscope {

// The bind checker's question: check ADDR:PORT [reuseaddr] [reuseport].
class BindCheckForm : public LabForm
{
    Q_OBJECT
public:
    explicit BindCheckForm(QWidget *parent = nullptr);
    QString command() const override;

    QLineEdit *addressEdit() const { return m_address; }
    QCheckBox *reuseAddrCheck() const { return m_reuseAddr; }
    QCheckBox *reusePortCheck() const { return m_reusePort; }

private:
    QLineEdit *m_address;
    QCheckBox *m_reuseAddr;
    QCheckBox *m_reusePort;
};

} // namespace sockscope

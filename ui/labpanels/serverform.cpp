// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/serverform.h"

#include "lab/labtypes.h"
#include "labpanels/labchoices.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace sockscope {

ServerForm::ServerForm(QWidget *parent)
    : LabForm(tr("Server processes"), tr("&Start"), parent),
      m_address(new QLineEdit(QStringLiteral("127.0.0.1:9100"), this)),
      m_nofile(new QSpinBox(this)),
      m_reuseAddr(new QCheckBox(QStringLiteral("SO_REUSEADDR"), this)),
      m_reusePort(new QCheckBox(QStringLiteral("SO_REUSEPORT"), this)),
      m_policy(new QComboBox(this)), m_cap(new QSpinBox(this))
{
    setObjectName(QStringLiteral("serverForm"));
    button()->setObjectName(QStringLiteral("startServerButton"));
    m_address->setObjectName(QStringLiteral("serverAddress"));
    m_address->setToolTip(tr("The address the child process listens on, ADDR:PORT"));
    m_nofile->setObjectName(QStringLiteral("serverNofile"));
    m_nofile->setRange(0, 1048576);
    m_nofile->setSpecialValueText(tr("inherit"));
    m_nofile->setToolTip(tr("RLIMIT_NOFILE of the child: a low limit makes accept() fail with "
                            "EMFILE (S2); 'inherit' keeps ours"));
    m_reuseAddr->setObjectName(QStringLiteral("serverReuseAddr"));
    m_reusePort->setObjectName(QStringLiteral("serverReusePort"));
    m_policy->setObjectName(QStringLiteral("serverPolicy"));
    fillChoices(m_policy, acceptErrorPolicyChoices());
    m_cap->setObjectName(QStringLiteral("serverCap"));
    m_cap->setRange(1, 100000);
    m_cap->setValue(8);
    m_cap->setPrefix(tr("cap "));
    m_cap->setToolTip(tr("The most connections the server holds at once"));

    QGridLayout *grid = fields();
    grid->addWidget(new QLabel(tr("Address"), this), 0, 0);
    grid->addWidget(m_address, 0, 1, 1, 3);
    grid->addWidget(new QLabel(tr("nofile"), this), 1, 0);
    grid->addWidget(m_nofile, 1, 1);
    // The policy and its cap on a row of their own: beside nofile they made
    // the form wider than the dock a 1280-pixel screen leaves.
    grid->addWidget(new QLabel(tr("Policy"), this), 2, 0);
    auto *policyRow = new QHBoxLayout;
    policyRow->addWidget(m_policy, 1);
    policyRow->addWidget(m_cap);
    grid->addLayout(policyRow, 2, 1, 1, 3);
    grid->addWidget(m_reuseAddr, 3, 0, 1, 2);
    grid->addWidget(m_reusePort, 3, 2, 1, 2);

    submitOnEnter(m_address);
    for (QCheckBox *box : {m_reuseAddr, m_reusePort})
        connect(box, &QCheckBox::toggled, this, &ServerForm::refresh);
    connect(m_nofile, &QSpinBox::valueChanged, this, &ServerForm::refresh);
    connect(m_cap, &QSpinBox::valueChanged, this, &ServerForm::refresh);
    connect(m_policy, &QComboBox::currentIndexChanged, this, &ServerForm::updateEnabled);
    updateEnabled();
}

void ServerForm::updateEnabled()
{
    m_cap->setEnabled(m_policy->currentData().toString() ==
                      acceptErrorPolicyName(AcceptErrorPolicy::Cap));
    refresh();
}

QString ServerForm::command() const
{
    const QString address = addressOf(m_address);
    if (address.isEmpty())
        return QString();
    QStringList words{QStringLiteral("server"), address};
    if (m_nofile->value() > 0)
        words << QStringLiteral("nofile") << QString::number(m_nofile->value());
    if (m_reuseAddr->isChecked())
        words << QStringLiteral("reuseaddr");
    if (m_reusePort->isChecked())
        words << QStringLiteral("reuseport");
    const QString policy = m_policy->currentData().toString();
    words << QStringLiteral("policy") << policy;
    if (m_cap->isEnabled())
        words << QString::number(m_cap->value());
    return words.join(QLatin1Char(' '));
}

} // namespace sockscope

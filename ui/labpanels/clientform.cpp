// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/clientform.h"

#include "labpanels/labchoices.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace sockscope {

ClientForm::ClientForm(QWidget *parent)
    : LabForm(tr("Clients"), tr("&Fire"), parent),
      m_target(new QLineEdit(QStringLiteral("127.0.0.1:9000"), this)),
      m_useFrom(new QCheckBox(tr("from"), this)),
      m_from(new QLineEdit(QStringLiteral("127.0.0.1:10001"), this)),
      m_reuseAddr(new QCheckBox(QStringLiteral("SO_REUSEADDR"), this)), m_count(new QSpinBox(this)),
      m_then(new QComboBox(this))
{
    setObjectName(QStringLiteral("clientForm"));
    button()->setObjectName(QStringLiteral("fireButton"));
    m_target->setObjectName(QStringLiteral("connectTarget"));
    m_target->setToolTip(tr("The address to connect to, ADDR:PORT"));
    m_useFrom->setObjectName(QStringLiteral("connectUseFrom"));
    m_useFrom->setToolTip(tr("Bind a fixed local address and port before connecting, as the "
                             "client of S4 does (one connection only)"));
    m_from->setObjectName(QStringLiteral("connectFrom"));
    m_reuseAddr->setObjectName(QStringLiteral("connectReuseAddr"));
    m_reuseAddr->setToolTip(tr("Set SO_REUSEADDR on the client socket before that bind; a live "
                               "connection on the port blocks it anyway"));
    m_count->setObjectName(QStringLiteral("connectCount"));
    m_count->setRange(1, 10000);
    m_count->setToolTip(tr("How many connections to open"));
    m_then->setObjectName(QStringLiteral("connectThen"));
    fillChoices(m_then, closePolicyChoices());

    QGridLayout *grid = fields();
    grid->addWidget(new QLabel(tr("Target"), this), 0, 0);
    grid->addWidget(m_target, 0, 1, 1, 3);
    grid->addWidget(m_useFrom, 1, 0);
    grid->addWidget(m_from, 1, 1, 1, 3);
    grid->addWidget(m_reuseAddr, 2, 1, 1, 3);
    grid->addWidget(new QLabel(tr("Count"), this), 3, 0);
    grid->addWidget(m_count, 3, 1);
    grid->addWidget(new QLabel(tr("Then"), this), 3, 2);
    grid->addWidget(m_then, 3, 3);

    submitOnEnter(m_target);
    submitOnEnter(m_from);
    connect(m_useFrom, &QCheckBox::toggled, this, &ClientForm::updateEnabled);
    connect(m_reuseAddr, &QCheckBox::toggled, this, &ClientForm::refresh);
    connect(m_count, &QSpinBox::valueChanged, this, &ClientForm::refresh);
    connect(m_then, &QComboBox::currentIndexChanged, this, &ClientForm::refresh);
    updateEnabled();
}

void ClientForm::updateEnabled()
{
    // A fixed local port allows one connection: the form says so instead of
    // letting the console refuse the line.
    const bool from = m_useFrom->isChecked();
    m_from->setEnabled(from);
    m_reuseAddr->setEnabled(from);
    m_count->setEnabled(!from);
    refresh();
}

QString ClientForm::command() const
{
    const QString target = addressOf(m_target);
    const QString from = addressOf(m_from);
    const bool useFrom = m_useFrom->isChecked();
    if (target.isEmpty() || (useFrom && from.isEmpty()))
        return QString();
    QStringList words{QStringLiteral("connect"), target};
    if (useFrom) {
        words << QStringLiteral("from") << from;
        if (m_reuseAddr->isChecked())
            words << QStringLiteral("reuseaddr");
    } else if (m_count->value() > 1) {
        words << QStringLiteral("count") << QString::number(m_count->value());
    }
    words << QStringLiteral("then") << m_then->currentData().toString();
    return words.join(QLatin1Char(' '));
}

} // namespace sockscope

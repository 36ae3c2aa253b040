// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/bindcheckform.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace sockscope {

BindCheckForm::BindCheckForm(QWidget *parent)
    : LabForm(tr("Why can't I bind this port?"), tr("&Check"), parent),
      m_address(new QLineEdit(QStringLiteral("127.0.0.1:9000"), this)),
      m_reuseAddr(new QCheckBox(QStringLiteral("SO_REUSEADDR"), this)),
      m_reusePort(new QCheckBox(QStringLiteral("SO_REUSEPORT"), this))
{
    setObjectName(QStringLiteral("bindCheckForm"));
    button()->setObjectName(QStringLiteral("checkButton"));
    button()->setIcon(QIcon::fromTheme(QStringLiteral("edit-find")));
    m_address->setObjectName(QStringLiteral("checkAddress"));
    m_address->setToolTip(tr("ADDR:PORT to bind, e.g. 127.0.0.1:9000, 0.0.0.0:8080, [::1]:9000; "
                             "Enter checks"));
    m_reuseAddr->setObjectName(QStringLiteral("checkReuseAddr"));
    m_reuseAddr->setToolTip(tr("Probe with SO_REUSEADDR set, as your server would"));
    m_reusePort->setObjectName(QStringLiteral("checkReusePort"));
    m_reusePort->setToolTip(tr("Probe with SO_REUSEPORT set, as your server would"));

    QGridLayout *grid = fields();
    grid->addWidget(new QLabel(tr("Address"), this), 0, 0);
    grid->addWidget(m_address, 0, 1, 1, 3);
    grid->addWidget(m_reuseAddr, 1, 0, 1, 2);
    grid->addWidget(m_reusePort, 1, 2, 1, 2);

    submitOnEnter(m_address);
    for (QCheckBox *box : {m_reuseAddr, m_reusePort})
        connect(box, &QCheckBox::toggled, this, &BindCheckForm::refresh);
    refresh();
}

QString BindCheckForm::command() const
{
    const QString address = addressOf(m_address);
    if (address.isEmpty())
        return QString();
    QStringList words{QStringLiteral("check"), address};
    if (m_reuseAddr->isChecked())
        words << QStringLiteral("reuseaddr");
    if (m_reusePort->isChecked())
        words << QStringLiteral("reuseport");
    return words.join(QLatin1Char(' '));
}

} // namespace sockscope

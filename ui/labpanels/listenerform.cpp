// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/listenerform.h"

#include "labpanels/labchoices.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace sockscope {

namespace {
constexpr int kDefaultBacklog = 128;
}

ListenerForm::ListenerForm(QWidget *parent)
    : LabForm(tr("Listeners"), tr("&Listen"), parent),
      m_address(new QLineEdit(QStringLiteral("127.0.0.1:9000"), this)),
      m_reuseAddr(new QCheckBox(QStringLiteral("SO_REUSEADDR"), this)),
      m_reusePort(new QCheckBox(QStringLiteral("SO_REUSEPORT"), this)),
      m_backlog(new QSpinBox(this)), m_accept(new QComboBox(this)),
      m_thread(new QCheckBox(tr("accept in a thread"), this))
{
    setObjectName(QStringLiteral("listenerForm"));
    button()->setObjectName(QStringLiteral("listenButton"));
    m_address->setObjectName(QStringLiteral("listenAddress"));
    m_address->setToolTip(tr("ADDR:PORT: 127.0.0.1:9000, [::1]:9000, *:9000; port 0 lets the "
                             "kernel pick"));
    m_reuseAddr->setObjectName(QStringLiteral("listenReuseAddr"));
    m_reuseAddr->setToolTip(tr("Set SO_REUSEADDR before bind: lets a restarted server bind "
                               "past its own old TIME_WAIT connections (S5)"));
    m_reusePort->setObjectName(QStringLiteral("listenReusePort"));
    m_reusePort->setToolTip(tr("Set SO_REUSEPORT before bind: several listeners share the port "
                               "and the kernel balances connections (S3)"));
    m_backlog->setObjectName(QStringLiteral("listenBacklog"));
    m_backlog->setRange(0, 65535);
    m_backlog->setValue(kDefaultBacklog);
    m_backlog->setToolTip(tr("listen() backlog: how many completed connections may wait in "
                             "the accept queue"));
    m_accept->setObjectName(QStringLiteral("listenAccept"));
    fillChoices(m_accept, acceptModeChoices());
    m_thread->setObjectName(QStringLiteral("listenThread"));
    m_thread->setToolTip(tr("Run the accept loop as a thread blocked in accept(), the shape of "
                            "S1 and S6, instead of on the event loop"));

    QGridLayout *grid = fields();
    grid->addWidget(new QLabel(tr("Address"), this), 0, 0);
    grid->addWidget(m_address, 0, 1, 1, 3);
    grid->addWidget(new QLabel(tr("Backlog"), this), 1, 0);
    grid->addWidget(m_backlog, 1, 1);
    grid->addWidget(new QLabel(tr("Accept"), this), 1, 2);
    grid->addWidget(m_accept, 1, 3);
    grid->addWidget(m_reuseAddr, 2, 0, 1, 2);
    grid->addWidget(m_reusePort, 2, 2, 1, 2);
    grid->addWidget(m_thread, 3, 0, 1, 4);

    submitOnEnter(m_address);
    for (QCheckBox *box : {m_reuseAddr, m_reusePort, m_thread})
        connect(box, &QCheckBox::toggled, this, &ListenerForm::refresh);
    connect(m_backlog, &QSpinBox::valueChanged, this, &ListenerForm::refresh);
    connect(m_accept, &QComboBox::currentIndexChanged, this, &ListenerForm::refresh);
    refresh();
}

QString ListenerForm::command() const
{
    const QString address = addressOf(m_address);
    if (address.isEmpty())
        return QString();
    QStringList words{QStringLiteral("listen"), address};
    if (m_reuseAddr->isChecked())
        words << QStringLiteral("reuseaddr");
    if (m_reusePort->isChecked())
        words << QStringLiteral("reuseport");
    // Defaults are left out, as a person would type the line.
    if (m_backlog->value() != kDefaultBacklog)
        words << QStringLiteral("backlog") << QString::number(m_backlog->value());
    if (const QString mode = m_accept->currentData().toString(); mode != QLatin1String("auto"))
        words << QStringLiteral("accept") << mode;
    if (m_thread->isChecked())
        words << QStringLiteral("thread");
    return words.join(QLatin1Char(' '));
}

} // namespace sockscope

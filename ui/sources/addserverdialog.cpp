// SPDX-License-Identifier: GPL-3.0-or-later
#include "sources/addserverdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace sockscope {

AddServerDialog::AddServerDialog(QWidget *parent)
    : QDialog(parent), m_server(new QLineEdit(this)), m_problem(new QLabel(this))
{
    setObjectName(QStringLiteral("addServerDialog"));
    setWindowTitle(tr("Add server"));
    m_server->setObjectName(QStringLiteral("server"));
    m_server->setPlaceholderText(tr("root@server.example:2222"));
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c62828"));
    m_problem->hide();
    auto *explanation =
        new QLabel(tr("Its sockets are read over ssh, with your OpenSSH client, its "
                      "configuration, agent and known_hosts. sockscope there is used when it is "
                      "installed, else its ss output."),
                   this);
    explanation->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Server ([user@]host[:port]):"), m_server);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &AddServerDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AddServerDialog::reject);
    connect(m_server, &QLineEdit::textEdited, m_problem, &QLabel::hide);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    resize(440, sizeHint().height());
}

QString AddServerDialog::problem() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void AddServerDialog::accept()
{
    const QString text = m_server->text().trimmed();
    if (text.isEmpty()) {
        m_problem->setText(tr("Type a server: [user@]host[:port], e.g. root@server.example:2222"));
        m_problem->show();
        return;
    }
    auto target = parseSshTarget(text);
    if (!target) {
        m_problem->setText(target.error().message);
        m_problem->show();
        return;
    }
    m_target = *target;
    QDialog::accept();
}

std::optional<SshTarget> askForServer(QWidget *parent)
{
    AddServerDialog dialog(parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.target();
}

} // namespace sockscope

// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/labform.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sockscope {

LabForm::LabForm(const QString &title, const QString &buttonText, QWidget *parent)
    : QWidget(parent), m_title(title), m_fields(new QGridLayout), m_preview(new QLabel(this)),
      m_button(new QPushButton(buttonText, this))
{
    m_preview->setObjectName(QStringLiteral("commandPreview"));
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setForegroundRole(QPalette::PlaceholderText);
    m_button->setDefault(false);
    m_button->setAutoDefault(false);
    connect(m_button, &QPushButton::clicked, this, &LabForm::trigger);

    m_fields->setColumnStretch(1, 1);
    m_fields->setColumnStretch(3, 1);
    auto *footer = new QHBoxLayout;
    footer->addWidget(m_preview, 1);
    footer->addWidget(m_button, 0, Qt::AlignBottom);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_fields);
    layout->addLayout(footer);
}

void LabForm::setBusy(bool busy)
{
    m_busy = busy;
    refresh();
}

void LabForm::refresh()
{
    const QString line = command();
    m_preview->setText(line.isEmpty() ? tr("(enter an address)") : QStringLiteral("> ") + line);
    m_button->setToolTip(line.isEmpty() ? QString() : tr("Runs the console command: %1").arg(line));
    m_button->setEnabled(!m_busy && !line.isEmpty());
}

void LabForm::submitOnEnter(QLineEdit *edit)
{
    connect(edit, &QLineEdit::returnPressed, this, &LabForm::trigger);
    connect(edit, &QLineEdit::textChanged, this, &LabForm::refresh);
}

QString LabForm::addressOf(const QLineEdit *edit)
{
    QString text = edit->text();
    text.remove(QLatin1Char(' '));
    return text;
}

void LabForm::trigger()
{
    // The same checks as the button's enabled state: Enter must not bypass them.
    const QString line = command();
    if (m_busy || line.isEmpty())
        return;
    Q_EMIT commandRequested(line);
}

} // namespace sockscope

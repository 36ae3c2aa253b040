// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace sockscope {

// A form that builds one console command from its fields. The command is
// previewed under the fields (and in the button's tooltip) exactly as it will
// be submitted, so every click also teaches the console line behind it.
class LabForm : public QWidget
{
    Q_OBJECT
public:
    LabForm(const QString &title, const QString &buttonText, QWidget *parent = nullptr);

    // What the form makes ("Listeners"): the caption of its tab or group box.
    QString title() const { return m_title; }

    // The console line the fields describe; empty when they describe none
    // (an empty address), which disables the button.
    virtual QString command() const = 0;
    QPushButton *button() const { return m_button; }
    // While the lab is busy the button is disabled: the GUI never queues
    // conflicting actions behind a long-running one.
    void setBusy(bool busy);

Q_SIGNALS:
    void commandRequested(const QString &line);

protected:
    // Subclasses lay their fields out here, above the preview and the button.
    QGridLayout *fields() const { return m_fields; }
    // Subclasses call this whenever a field changed (and once, when built).
    void refresh();
    // Enter in an edit does what the button does.
    void submitOnEnter(QLineEdit *edit);
    // The address in an edit, without the spaces a user may type around it.
    static QString addressOf(const QLineEdit *edit);

private:
    void trigger();

    QString m_title;
    QGridLayout *m_fields;
    QLabel *m_preview;
    QPushButton *m_button;
    bool m_busy = false;
};

} // namespace sockscope

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/sshtarget.h"

#include <optional>
#include <QDialog>

class QLabel;
class QLineEdit;

namespace sockscope {

// Asks for a server as `--ssh` takes it, [user@]host[:port]; OK accepts only
// what parseSshTarget() reads, and says what is wrong otherwise.
class AddServerDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AddServerDialog(QWidget *parent = nullptr);

    // After accept(): the server.
    const SshTarget &target() const { return m_target; }
    // The reason OK refused, empty when it did not.
    QString problem() const;

    void accept() override;

private:
    QLineEdit *m_server;
    QLabel *m_problem;
    SshTarget m_target;
};

// The dialog, modal over parent: the server, or nothing when cancelled.
std::optional<SshTarget> askForServer(QWidget *parent);

} // namespace sockscope

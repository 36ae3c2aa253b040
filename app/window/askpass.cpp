// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/askpass.h"

#include <cstdio>
#include <QApplication>
#include <QInputDialog>
#include <QLineEdit>

namespace sockscope::cli {

int runAskpass(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QString prompt = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    // ssh asks yes/no questions (an unknown host key) through the same program:
    // those answers are not secret.
    const bool secret = !prompt.contains(QLatin1String("(yes/no"));
    bool ok = false;
    const QString answer = QInputDialog::getText(
        nullptr, QApplication::translate("Askpass", "SockScope — ssh"), prompt,
        secret ? QLineEdit::Password : QLineEdit::Normal, QString(), &ok);
    if (!ok)
        return 1;
    std::fputs(answer.toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
    return 0;
}

} // namespace sockscope::cli

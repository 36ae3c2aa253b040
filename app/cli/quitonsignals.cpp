// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/quitonsignals.h"

#include <csignal>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <sys/signalfd.h>
#include <unistd.h>

namespace sockscope::cli {

void quitOnSignals()
{
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0)
        return;
    const int fd = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0)
        return;
    auto *notifier = new QSocketNotifier(fd, QSocketNotifier::Read, QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [fd] {
        signalfd_siginfo info;
        [[maybe_unused]] const auto got = ::read(fd, &info, sizeof info);
        QCoreApplication::quit();
    });
}

} // namespace sockscope::cli

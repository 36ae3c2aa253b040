// SPDX-License-Identifier: GPL-3.0-or-later
// The limits an EMFILE explanation quotes, read at the limit itself: counting
// the open descriptors must not need one more.
#include "explain/systemlimits.h"

#include <cerrno>
#include <fcntl.h>
#include <QTest>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace sockscope;

class TestSystemLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void countsDescriptorsAtTheLimit()
    {
        // Its own descriptor, in case standard input is closed (CI).
        const int base = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        QVERIFY(base >= 0);
        const int before = openDescriptorCount();
        QVERIFY(before > 0);
        rlimit saved{};
        QCOMPARE(::getrlimit(RLIMIT_NOFILE, &saved), 0);
        rlimit low = saved;
        low.rlim_cur = static_cast<rlim_t>(before + 5);
        if (low.rlim_cur > saved.rlim_max)
            QSKIP("the hard RLIMIT_NOFILE is below what this test needs");
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &low), 0);

        std::vector<int> held;
        int error = 0;
        while (held.size() < 64) {
            const int fd = ::fcntl(base, F_DUPFD_CLOEXEC, 0);
            if (fd < 0) {
                error = errno;
                break;
            }
            held.push_back(fd);
        }
        const int atLimit = openDescriptorCount();
        const QString text = descriptorLimitText();
        for (const int fd : held)
            ::close(fd);
        ::setrlimit(RLIMIT_NOFILE, &saved);
        ::close(base);

        QCOMPARE(error, EMFILE);
        QCOMPARE(atLimit, before + static_cast<int>(held.size()));
        QVERIFY2(
            text.startsWith(
                QStringLiteral("%1 open, RLIMIT_NOFILE soft %2").arg(atLimit).arg(low.rlim_cur)),
            qPrintable(text));
        QCOMPARE(openDescriptorCount(), before - 1);
    }
};

QTEST_GUILESS_MAIN(TestSystemLimits)
#include "tst_systemlimits.moc"

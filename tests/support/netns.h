// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace sockscope::test {

enum class Loopback
{
    Up,
    Down // as a fresh `unshare -n` leaves it: for tests of that hostile environment
};

// Moves the calling process (before it starts any thread) into a fresh network
// namespace with loopback up, so kernel timers and fixed ports cannot collide
// with the machine. Returns false and fills `reason` where that is not allowed.
bool enterPrivateNetwork(QString *reason, Loopback loopback = Loopback::Up);

// Brings `lo` of the current namespace up or down (needs CAP_NET_ADMIN there).
bool setLoopbackUp(bool up, QString *reason);

// Whether main() managed to enter one, and why not.
bool inPrivateNetwork();
QString privateNetworkUnavailableReason();

} // namespace sockscope::test

// Tests that need isolation (fixed ports, 60 s kernel timers) call this first.
#define SOCKSCOPE_REQUIRE_NETNS()                                                                  \
    do {                                                                                           \
        if (!sockscope::test::inPrivateNetwork())                                                  \
            QSKIP(qPrintable(QStringLiteral("needs a private network namespace: ") +               \
                             sockscope::test::privateNetworkUnavailableReason()));                 \
    } while (false)

// QTEST_GUILESS_MAIN / QTEST_MAIN that first enters a private network namespace.
#define SOCKSCOPE_TEST_MAIN_NETNS(TestObject, AppClass)                                            \
    SOCKSCOPE_TEST_MAIN_NETNS_LOOPBACK(TestObject, AppClass, Up)

// The same with the namespace's loopback `Up` or `Down`.
#define SOCKSCOPE_TEST_MAIN_NETNS_LOOPBACK(TestObject, AppClass, State)                            \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        QString reason;                                                                            \
        if (!sockscope::test::enterPrivateNetwork(&reason, sockscope::test::Loopback::State))      \
            qWarning("running on the host network: %s", qPrintable(reason));                       \
        AppClass app(argc, argv);                                                                  \
        TestObject tc;                                                                             \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return QTest::qExec(&tc, argc, argv);                                                      \
    }

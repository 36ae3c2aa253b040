// SPDX-License-Identifier: GPL-3.0-or-later
// OwnerResolver against this process's real sockets in /proc, and against fake
// proc trees for the layouts a live machine will not produce on demand.
#include "loopback.h"
#include "netns.h"
#include "owners/ownerresolver.h"
#include "socketholder.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <new>
#include <pthread.h>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace sockscope;

namespace {

constexpr int kTimeoutMs = 5000;
constexpr int kFullPassWaitMs = 2100; // OwnerResolver allows a full pass every 2 s

std::uint32_t ourUid()
{
    return std::uint32_t(::geteuid());
}

SocketRecord recordWithInode(std::uint32_t inode, std::uint32_t uid = ourUid(),
                             TcpState state = TcpState::Listen)
{
    SocketRecord record;
    record.state = state;
    record.inode = inode;
    record.uid = uid;
    return record;
}

// What a dump would say about this descriptor's socket: its inode is the socket's st_ino.
SocketRecord recordFor(int fd)
{
    struct stat status = {};
    return recordWithInode(::fstat(fd, &status) == 0 ? std::uint32_t(status.st_ino) : 0);
}

// "pid/fd/command;..." so a mismatch prints readably.
QString ownersText(const OwnerLookup &lookup)
{
    QStringList parts;
    for (const OwnerProcess &owner : lookup.owners)
        parts.append(QStringLiteral("%1/%2/%3").arg(owner.pid).arg(owner.fd).arg(owner.command));
    return parts.join(QLatin1Char(';'));
}

int countNumericEntries(const char *path)
{
    DIR *dir = ::opendir(path);
    if (!dir)
        return 0;
    int count = 0;
    while (const dirent *entry = ::readdir(dir))
        count += entry->d_name[0] >= '0' && entry->d_name[0] <= '9';
    ::closedir(dir);
    return count;
}

// Every /proc/*/fd entry we may read: what a full procfs walk would readlink.
int machineFdCount()
{
    DIR *proc = ::opendir("/proc");
    if (!proc)
        return 0;
    int total = 0;
    while (const dirent *entry = ::readdir(proc)) {
        if (entry->d_name[0] >= '0' && entry->d_name[0] <= '9')
            total += countNumericEntries(QByteArray("/proc/") + entry->d_name + "/fd");
    }
    ::closedir(proc);
    return total;
}

// Linux 6.2+ reports a process's descriptor count as the st_size of /proc/PID/fd.
bool kernelCountsFds()
{
    struct stat status = {};
    return ::stat("/proc/self/fd", &status) == 0 && status.st_size > 0;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

// tmpfs when there is one: thousands of symlinks on a disk take seconds.
QString fakeProcTemplate()
{
    const QString shm = QStringLiteral("/dev/shm");
    const QString base = QFileInfo(shm).isWritable() ? shm : QDir::tempPath();
    return base + QStringLiteral("/tst_owners-XXXXXX");
}

// A proc-like tree: NNN/fd/N symlinks to "socket:[INODE]", NNN/cmdline, NNN/comm.
class FakeProc
{
public:
    FakeProc()
    {
        QDir(m_dir.path()).mkdir(QStringLiteral("self")); // non-numeric entries are skipped
        writeFile(m_dir.path() + QStringLiteral("/version"), "Linux\n");
    }
    bool isValid() const { return m_dir.isValid(); }
    QString root() const { return m_dir.path(); }

    bool addProcess(int pid, const QByteArray &cmdline, const QByteArray &comm)
    {
        return QDir().mkpath(pidPath(pid) + QStringLiteral("/fd")) &&
               writeFile(pidPath(pid) + QStringLiteral("/cmdline"), cmdline) &&
               writeFile(pidPath(pid) + QStringLiteral("/comm"), comm);
    }
    bool addFd(int pid, int fd, const QByteArray &target)
    {
        const QByteArray link = QFile::encodeName(pidPath(pid) + QStringLiteral("/fd/%1").arg(fd));
        return ::symlink(target.constData(), link.constData()) == 0;
    }
    bool addSocket(int pid, int fd, std::uint32_t inode)
    {
        return addFd(pid, fd, "socket:[" + QByteArray::number(inode) + ']');
    }
    // Its "fd" is a file, so opening it as a directory fails the way a process
    // of another user does when we are unprivileged, even when we run as root.
    bool addUnreadableProcess(int pid)
    {
        return QDir().mkpath(pidPath(pid)) &&
               writeFile(pidPath(pid) + QStringLiteral("/fd"), QByteArray()) &&
               writeFile(pidPath(pid) + QStringLiteral("/cmdline"), QByteArray("secret\0", 7));
    }
    // A stat line whose field 22 (start time) is `startTime`.
    bool setStartTime(int pid, std::uint64_t startTime)
    {
        QByteArray line = QByteArray::number(pid) + " (fake) S";
        for (int field = 4; field < 22; ++field)
            line += " 0";
        return writeFile(pidPath(pid) + QStringLiteral("/stat"),
                         line + ' ' + QByteArray::number(quint64(startTime)) + " 0 0\n");
    }
    // ns/net as a file: the same file (a hard link) as self's is our namespace.
    bool setNamespace(const QString &owner, bool ours)
    {
        const QString self = m_dir.path() + QStringLiteral("/self/ns/net");
        if (!QFileInfo::exists(self) &&
            !(QDir().mkpath(m_dir.path() + QStringLiteral("/self/ns")) && writeFile(self, "ours")))
            return false;
        const QString path = m_dir.path() + QLatin1Char('/') + owner + QStringLiteral("/ns");
        if (!QDir().mkpath(path))
            return false;
        if (!ours)
            return writeFile(path + QStringLiteral("/net"), "other");
        return ::link(QFile::encodeName(self).constData(),
                      QFile::encodeName(path + QStringLiteral("/net")).constData()) == 0;
    }
    // Processes 1..pids ("server"), each with sockets at fds 0..fds-1 (serverInode()).
    bool addServers(int pids, int fds)
    {
        for (int pid = 1; pid <= pids; ++pid) {
            if (!addProcess(pid, QByteArray("server\0", 7), "server\n"))
                return false;
            for (int fd = 0; fd < fds; ++fd) {
                if (!addSocket(pid, fd, serverInode(pid, fd)))
                    return false;
            }
        }
        return true;
    }
    // What a dump says about the sockets of servers 1..pids.
    static std::vector<SocketRecord> serverRecords(int pids, int fds)
    {
        std::vector<SocketRecord> records;
        for (int pid = 1; pid <= pids; ++pid) {
            for (int fd = 0; fd < fds; ++fd)
                records.push_back(
                    recordWithInode(serverInode(pid, fd), ourUid(), TcpState::Established));
        }
        return records;
    }
    static std::uint32_t serverInode(int pid, int fd)
    {
        return std::uint32_t(100000 + pid * 100 + fd);
    }
    QString pidPath(int pid) const
    {
        return m_dir.path() + QLatin1Char('/') + QString::number(pid);
    }

private:
    QTemporaryDir m_dir{fakeProcTemplate()};
};

// A child that holds copies of all our descriptors until its pipe closes;
// killed and reaped on destruction whatever happened in the test.
class ForkedChild
{
public:
    ForkedChild()
    {
        int ends[2];
        if (::pipe2(ends, O_CLOEXEC) != 0)
            return;
        m_pid = ::fork();
        if (m_pid == 0) {
            ::close(ends[1]);
            char byte;
            while (::read(ends[0], &byte, 1) < 0 && errno == EINTR) {
            }
            ::_exit(0);
        }
        ::close(ends[0]);
        m_release.reset(ends[1]);
    }
    ~ForkedChild()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    pid_t pid() const { return m_pid; }

    // Lets the child exit and reaps it; false when it had to be killed.
    bool finish()
    {
        m_release.reset();
        const QDeadlineTimer deadline(kTimeoutMs);
        while (!deadline.hasExpired()) {
            if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
                m_pid = -1;
                return true;
            }
            QTest::qSleep(5);
        }
        return false;
    }

private:
    pid_t m_pid = -1;
    UniqueFd m_release;
};

void ignoreSignal(int) {}

// A thread blocked in accept() on a listener, as in S1. Woken by a connection
// to the listener or, if that fails, by a signal without SA_RESTART (EINTR).
class BlockedAccept
{
public:
    explicit BlockedAccept(int listenFd)
        : m_thread([this, listenFd] {
              m_tid = ::gettid();
              const int accepted = ::accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC);
              if (accepted >= 0)
                  ::close(accepted);
              m_done = true;
          })
    {
    }
    ~BlockedAccept() { join(); }

    // True once the thread sits in accept4(), per /proc/self/task/TID/syscall.
    bool waitUntilBlocked()
    {
        const QDeadlineTimer deadline(kTimeoutMs);
        while (!deadline.hasExpired()) {
            const pid_t tid = m_tid;
            QFile syscall(QStringLiteral("/proc/self/task/%1/syscall").arg(tid));
            if (tid > 0 && syscall.open(QIODevice::ReadOnly) &&
                syscall.readAll().split(' ').value(0).toInt() == SYS_accept4)
                return true;
            QTest::qSleep(5);
        }
        return false;
    }

    // Joins; signals the thread out of accept() if nothing woke it by then.
    bool join()
    {
        if (!m_thread.joinable())
            return true;
        const QDeadlineTimer deadline(1000);
        while (!m_done && !deadline.hasExpired())
            QTest::qSleep(5);
        const bool wokenNormally = m_done;
        while (!m_done) {
            ::pthread_kill(m_thread.native_handle(), SIGUSR1);
            QTest::qSleep(5);
        }
        m_thread.join();
        return wokenNormally;
    }

private:
    std::atomic<pid_t> m_tid{0};
    std::atomic<bool> m_done{false};
    std::thread m_thread;
};

void waitForFullPass(const QElapsedTimer &sinceFirstRefresh)
{
    const qint64 left = kFullPassWaitMs - sinceFirstRefresh.elapsed();
    if (left > 0)
        QTest::qSleep(int(left));
}

} // namespace

class TestOwners : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void ownerOfRealListener_data();
    void ownerOfRealListener();
    void incrementalRefresh();
    void incrementalFakeProc();
    void sharedWithForkedChild();
    void orphanedWithoutHolder_data();
    void orphanedWithoutHolder();
    void orphanedS1Listener();
    void fdReuseCaughtByFullPass();
    void askedFullPassSeesAClosedListenerAtOnce();
    void fakeProcLookup_data();
    void fakeProcLookup();
    void descriptorHygiene();
    void otherNamespaceNotRead();
    void otherNamespaceFakeProc();
    void reusedPidReadAgain();
    void earlyStopOnceAllPlaced();
    void sparseTableOfAnotherProcess();
};

void TestOwners::initTestCase()
{
    struct sigaction action = {};
    action.sa_handler = ignoreSignal; // no SA_RESTART: a blocked accept() returns EINTR
    QCOMPARE(::sigaction(SIGUSR1, &action, nullptr), 0);
}

void TestOwners::ownerOfRealListener_data()
{
    QTest::addColumn<bool>("ipv6");
    QTest::newRow("ipv4") << false;
    QTest::newRow("ipv6") << true;
}

void TestOwners::ownerOfRealListener()
{
    QFETCH(bool, ipv6);
    const UniqueFd listener = test::listenOn(ipv6);
    if (!listener.valid())
        QSKIP("no loopback for this family here");
    const SocketRecord record = recordFor(listener.get());
    QVERIFY(record.inode != 0);

    OwnerResolver resolver;
    QCOMPARE(resolver.lookup(record).ownership, Ownership::Unknown); // not looked for yet
    resolver.refresh({record});
    QVERIFY(resolver.lastScan().scanned);
    const OwnerLookup lookup = resolver.lookup(record);
    QCOMPARE(ownershipName(lookup.ownership), QStringLiteral("owned"));
    QCOMPARE(lookup.owners.size(), 1);
    QCOMPARE(lookup.owners.first().pid, int(::getpid()));
    QCOMPARE(lookup.owners.first().fd, listener.get());
    const QString binary = QFileInfo(QCoreApplication::applicationFilePath()).fileName();
    QVERIFY2(lookup.owners.first().command.contains(binary), qPrintable(ownersText(lookup)));
    // Until the holders change, every answer shares one list.
    resolver.refresh({record});
    QCOMPARE(resolver.lookup(record).owners.constData(), lookup.owners.constData());
}

void TestOwners::incrementalRefresh()
{
    const UniqueFd first = test::listenOn();
    QVERIFY(first.valid());
    OwnerResolver resolver;
    resolver.refresh({recordFor(first.get())});
    QVERIFY(resolver.lastScan().scanned);
    const int firstScanReads = resolver.lastScan().fdsRead;

    resolver.refresh({recordFor(first.get())});
    QVERIFY(!resolver.lastScan().scanned);
    QCOMPARE(resolver.lastScan().fdsRead, 0);

    const UniqueFd second = test::listenOn();
    QVERIFY(second.valid());
    const std::vector<SocketRecord> both{recordFor(first.get()), recordFor(second.get())};
    resolver.refresh(both);
    const int machineFds = machineFdCount();
    QVERIFY(resolver.lastScan().scanned);
    QVERIFY(resolver.lastScan().pidsListed > 0);
    // Only descriptors opened since the first scan are read (ours, plus whatever
    // other processes opened meanwhile), not every descriptor on the machine.
    QVERIFY(resolver.lastScan().fdsRead >= 1);
    QVERIFY2(resolver.lastScan().fdsRead * 2 < machineFds,
             qPrintable(QStringLiteral("read %1 of %2 descriptors")
                            .arg(resolver.lastScan().fdsRead)
                            .arg(machineFds)));
    QCOMPARE(resolver.lookup(both[1]).owners.value(0).fd, second.get());

    resolver.refresh(both);
    QVERIFY(!resolver.lastScan().scanned);
    resolver.refresh({both[0]}); // a socket leaving the dump needs no scan either
    QVERIFY(!resolver.lastScan().scanned);
    QCOMPARE(resolver.lookup(both[0]).ownership, Ownership::Owned);

    resolver.invalidate(); // "refresh owners": everything is read again
    QCOMPARE(resolver.lookup(both[0]).ownership, Ownership::Unknown);
    resolver.refresh({both[0]});
    QVERIFY(resolver.lastScan().scanned);
    QVERIFY(resolver.lastScan().fdsRead > firstScanReads / 2);
    QCOMPARE(resolver.lookup(both[0]).ownership, Ownership::Owned);
}

void TestOwners::incrementalFakeProc()
{
    // Exact counts need a machine nobody else touches: a fake tree of 200
    // processes with 20 sockets each.
    constexpr int kPids = 200;
    constexpr int kFds = 20;
    FakeProc proc;
    QVERIFY(proc.isValid());
    QVERIFY(proc.addServers(kPids, kFds));
    std::vector<SocketRecord> records = FakeProc::serverRecords(kPids, kFds);
    OwnerResolver resolver(proc.root());
    resolver.refresh(records);
    QCOMPARE(resolver.lastScan().pidsListed, kPids);
    QCOMPARE(resolver.lastScan().fdsRead, kPids * kFds);
    QVERIFY(resolver.sawEverything());

    resolver.refresh(records);
    QVERIFY(!resolver.lastScan().scanned);

    QVERIFY(proc.addSocket(7, kFds, 999999));
    records.push_back(recordWithInode(999999, ourUid(), TcpState::Established));
    resolver.refresh(records);
    QVERIFY(resolver.lastScan().scanned);
    QCOMPARE(resolver.lastScan().pidsListed, kPids);
    QCOMPARE(resolver.lastScan().fdsRead, 1);
    QCOMPARE(ownersText(resolver.lookup(records.back())), QStringLiteral("7/20/server"));
    if (QFileInfo(proc.root()).absoluteFilePath().startsWith(QStringLiteral("/dev/shm")))
        QCOMPARE(resolver.lastScan().pidsUnchanged, kPids - 1); // their fd directories not listed

    // A socket that left the dump forgets its fd: a reused number is read again.
    const SocketRecord gone = records.front();
    records.erase(records.begin());
    resolver.refresh(records);
    QVERIFY(!resolver.lastScan().scanned);
    records.push_back(recordWithInode(888888, ourUid(), TcpState::Established));
    QVERIFY(QFile::remove(proc.pidPath(1) + QStringLiteral("/fd/0")));
    QVERIFY(proc.addSocket(1, 0, 888888));
    resolver.refresh(records);
    QCOMPARE(resolver.lastScan().fdsRead, 1);
    QCOMPARE(ownersText(resolver.lookup(records.back())), QStringLiteral("1/0/server"));
    QCOMPARE(resolver.lookup(gone).ownership, Ownership::Unknown);

    // S1 with the number reused at once: pid 2's fd count changes, so its
    // listener's fd is read again even though no new inode appeared.
    records.push_back(recordWithInode(777777)); // LISTEN
    QVERIFY(proc.addSocket(2, kFds, 777777));
    resolver.refresh(records);
    QCOMPARE(resolver.lookup(records.back()).ownership, Ownership::Owned);
    QVERIFY(QFile::remove(proc.pidPath(2) + QStringLiteral("/fd/%1").arg(kFds)));
    QVERIFY(proc.addFd(2, kFds, "/dev/null"));
    QVERIFY(proc.addFd(2, kFds + 1, "/dev/null"));
    if (!QFileInfo(proc.root()).absoluteFilePath().startsWith(QStringLiteral("/dev/shm")))
        QSKIP("only tmpfs directory sizes count their entries like /proc/PID/fd");
    resolver.refresh(records);
    QVERIFY(resolver.lastScan().scanned);
    QCOMPARE(resolver.lastScan().pidsListed, 1);
    QCOMPARE(resolver.lastScan().fdsRead, 2);
    QCOMPARE(resolver.lookup(records.back()).ownership, Ownership::Unknown); // until a full pass
}

void TestOwners::sharedWithForkedChild()
{
    const UniqueFd listener = test::listenOn();
    QVERIFY(listener.valid());
    const SocketRecord record = recordFor(listener.get());
    ForkedChild child;
    QVERIFY(child.pid() > 0);

    OwnerResolver resolver;
    resolver.refresh({record});
    const OwnerLookup shared = resolver.lookup(record);
    QCOMPARE(shared.ownership, Ownership::Owned);
    QCOMPARE(shared.owners.size(), 2);
    const int self = int(::getpid());
    const QList<int> expectedPids =
        self < child.pid() ? QList<int>{self, child.pid()} : QList<int>{child.pid(), self};
    QCOMPARE(shared.owners[0].pid, expectedPids[0]);
    QCOMPARE(shared.owners[1].pid, expectedPids[1]);
    QCOMPARE(shared.owners[0].fd, listener.get());
    QCOMPARE(shared.owners[1].fd, listener.get());
    QCOMPARE(shared.owners[0].command, shared.owners[1].command); // fork without exec

    QVERIFY(child.finish());
    resolver.refresh({record});
    if (!kernelCountsFds())
        QSKIP("this kernel does not report fd counts: an exited owner shows until the next scan");
    QVERIFY(resolver.lastScan().scanned); // noticed through the owner's fd directory
    QCOMPARE(ownersText(resolver.lookup(record)).section(QLatin1Char('/'), 0, 0),
             QString::number(self));
    QCOMPARE(resolver.lookup(record).owners.size(), 1);
}

void TestOwners::orphanedWithoutHolder_data()
{
    QTest::addColumn<std::uint32_t>("inode");
    QTest::addColumn<TcpState>("state");
    QTest::addColumn<bool>("refreshFirst");
    QTest::addColumn<bool>("orphanedWhenAllSeen");
    // TIME_WAIT and FIN_WAIT2 after close() are kernel-owned: the dump reports inode 0.
    QTest::newRow("inode 0 timewait") << 0u << TcpState::TimeWait << false << true;
    QTest::newRow("inode 0 fin-wait-2") << 0u << TcpState::FinWait2 << true << true;
    // No descriptor anywhere holds this inode: with every fd directory read,
    // that proves nobody owns it.
    QTest::newRow("made-up inode") << 4294967000u << TcpState::Listen << true << true;
    QTest::newRow("made-up inode, not refreshed")
        << 4294967000u << TcpState::Listen << false << false;
}

void TestOwners::orphanedWithoutHolder()
{
    QFETCH(std::uint32_t, inode);
    QFETCH(TcpState, state);
    QFETCH(bool, refreshFirst);
    QFETCH(bool, orphanedWhenAllSeen);
    const SocketRecord record = recordWithInode(inode, ourUid(), state);
    OwnerResolver resolver;
    if (refreshFirst)
        resolver.refresh({record});
    const OwnerLookup lookup = resolver.lookup(record);
    QVERIFY(lookup.owners.isEmpty());
    if (!orphanedWhenAllSeen) {
        QCOMPARE(lookup.ownership, Ownership::Unknown); // never looked for
        return;
    }
    if (inode != 0 && !resolver.sawEverything()) {
        // Unprivileged: other users' processes were unreadable. Our own socket
        // is still Orphaned unless one of our own processes was unreadable.
        QVERIFY(lookup.ownership != Ownership::Owned);
        QSKIP("some fd directories were unreadable");
    }
    QCOMPARE(lookup.ownership, Ownership::Orphaned);
}

void TestOwners::orphanedS1Listener()
{
    UniqueFd listener = test::listenOn();
    QVERIFY(listener.valid());
    const std::uint16_t port = test::localPort(listener.get());
    const SocketRecord record = recordFor(listener.get());
    BlockedAccept acceptor(listener.get());
    QVERIFY(acceptor.waitUntilBlocked());
    // Seen while the thread already waits: its accept() has reserved an fd
    // number, which counts in /proc/PID/fd's size until accept() returns.
    QElapsedTimer sinceFirstRefresh;
    sinceFirstRefresh.start();
    OwnerResolver seenOwned;
    seenOwned.refresh({record});
    QCOMPARE(seenOwned.lookup(record).ownership, Ownership::Owned);
    // S1: close() removes the descriptor, the in-flight accept() keeps the
    // socket alive in LISTEN with its inode, and no fd of any process holds it.
    ::close(listener.release());

    OwnerResolver fresh; // its first scan reads every process
    fresh.refresh({record});
    if (fresh.sawEverything())
        QCOMPARE(fresh.lookup(record).ownership, Ownership::Orphaned);
    else // some process, maybe one even root may not ptrace, could hold it
        QVERIFY(fresh.lookup(record).ownership != Ownership::Owned);

    if (kernelCountsFds()) {
        // The resolver that saw it owned notices our fd count dropped and
        // rereads our fds; the lost holder waits for a full pass to be Orphaned.
        seenOwned.refresh({record});
        QVERIFY(seenOwned.lastScan().scanned);
        QVERIFY(seenOwned.lookup(record).ownership != Ownership::Owned);
        if (sinceFirstRefresh.elapsed() < 2000)
            QCOMPARE(seenOwned.lookup(record).ownership, Ownership::Unknown);
        waitForFullPass(sinceFirstRefresh);
        seenOwned.refresh({record});
        QVERIFY(seenOwned.lastScan().scanned);
        // As a user, other users' processes come and go between the two
        // scans (other tests, the machine's own work): what one may not read,
        // the other may have, so only a scan that saw everything must agree.
        if (seenOwned.sawEverything())
            QCOMPARE(seenOwned.lookup(record).ownership, Ownership::Orphaned);
        else
            QVERIFY(seenOwned.lookup(record).ownership != Ownership::Owned);
        seenOwned.refresh({record});
        QVERIFY(!seenOwned.lastScan().scanned); // confirmed: no more rescans for it
    }

    // Still listening: a connection completes and wakes the accept().
    const UniqueFd client = test::connectTo(port);
    QVERIFY(client.valid());
    QVERIFY(acceptor.join());
    if (!kernelCountsFds())
        QSKIP("this kernel does not report fd counts: a closed owner fd shows until a scan");
}

void TestOwners::fdReuseCaughtByFullPass()
{
    const UniqueFd anchor = test::listenOn();
    UniqueFd file(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    QVERIFY(anchor.valid() && file.valid());
    const int number = file.get();
    QElapsedTimer sinceFirstRefresh;
    sinceFirstRefresh.start();
    OwnerResolver resolver;
    resolver.refresh({recordFor(anchor.get())}); // caches `number` as "not a socket"

    file.reset();
    const UniqueFd listener = test::listenOn();
    QVERIFY(listener.valid());
    if (listener.get() != number)
        QSKIP("the descriptor number was not reused");
    const std::vector<SocketRecord> records{recordFor(anchor.get()), recordFor(listener.get())};
    resolver.refresh(records);
    QVERIFY(resolver.lastScan().scanned);
    // The incremental scan skipped `number`: not found, but not yet called Orphaned.
    if (sinceFirstRefresh.elapsed() < 2000)
        QCOMPARE(resolver.lookup(records[1]).ownership, Ownership::Unknown);

    waitForFullPass(sinceFirstRefresh);
    resolver.refresh(records);
    QVERIFY(resolver.lastScan().scanned);
    const OwnerLookup lookup = resolver.lookup(records[1]);
    QCOMPARE(lookup.ownership, Ownership::Owned);
    QCOMPARE(lookup.owners.value(0).fd, number);
    QCOMPARE(lookup.owners.value(0).pid, int(::getpid()));
    resolver.refresh(records);
    QVERIFY(!resolver.lastScan().scanned);
}

// S1 in our own process: a listener's descriptor closes (the socket lives on,
// as an accept() in flight keeps it) and another file takes its number, so the
// count is unchanged and an incremental refresh keeps the old holder. A full
// pass asked for (a lab action) drops it at once, without the 2 s spacing.
void TestOwners::askedFullPassSeesAClosedListenerAtOnce()
{
    const UniqueFd anchor = test::listenOn();
    UniqueFd listener = test::listenOn();
    QVERIFY(anchor.valid() && listener.valid());
    const int number = listener.get();
    const std::vector<SocketRecord> records{recordFor(anchor.get()), recordFor(listener.get())};
    OwnerResolver resolver;
    resolver.refresh(records);
    QCOMPARE(resolver.lookup(records[1]).ownership, Ownership::Owned);

    listener.reset();
    const UniqueFd file(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (file.get() != number)
        QSKIP("the descriptor number was not reused");
    resolver.refresh(records);
    QCOMPARE(resolver.lookup(records[1]).ownership, Ownership::Owned); // what fullPassNext is for

    resolver.fullPassNext();
    resolver.refresh(records);
    QVERIFY(resolver.lastScan().scanned);
    const OwnerLookup lookup = resolver.lookup(records[1]);
    QVERIFY2(lookup.ownership == Ownership::Orphaned, qPrintable(ownersText(lookup)));
    QCOMPARE(resolver.lookup(records[0]).ownership, Ownership::Owned);
}

void TestOwners::fakeProcLookup_data()
{
    QTest::addColumn<bool>("unreadablePid");
    QTest::addColumn<bool>("unreadableIsOtherUser");
    QTest::addColumn<std::uint32_t>("inode");
    QTest::addColumn<std::uint32_t>("uid");
    QTest::addColumn<QString>("ownership");
    QTest::addColumn<QString>("owners");
    const std::uint32_t us = ourUid();
    const std::uint32_t other = us + 1000;
    const QString server = QStringLiteral("fake server --port 80");

    QTest::newRow("owned") << false << false << 5002u << us << "owned"
                           << "100/7/" + server;
    QTest::newRow("shared, sorted by pid") << false << false << 5001u << us << "owned"
                                           << "100/3/" + server + ";200/5/[kworker/0:1]";
    QTest::newRow("dup'd, sorted by fd") << false << false << 5003u << us << "owned"
                                         << "100/8/" + server + ";100/9/" + server;
    QTest::newRow("owned beside an unreadable pid") << true << false << 5002u << other << "owned"
                                                    << "100/7/" + server;
    QTest::newRow("inode 0") << true << false << 0u << us << "orphaned" << QString();
    QTest::newRow("no holder, all readable")
        << false << false << 6000u << other << "orphaned" << QString();
    // An unreadable process could hold it.
    QTest::newRow("no holder, our process unreadable, our socket")
        << true << false << 6000u << us << "unknown" << QString();
    QTest::newRow("no holder, unreadable, other user's socket")
        << true << true << 6000u << other << "unknown" << QString();
    // Rule: our socket can only be held by our processes (fd passing to another
    // user is the accepted exception), so others' unreadable pids do not matter.
    QTest::newRow("no holder, only other user unreadable, our socket")
        << true << true << 6000u << us << "orphaned" << QString();
}

void TestOwners::fakeProcLookup()
{
    QFETCH(bool, unreadablePid);
    QFETCH(bool, unreadableIsOtherUser);
    QFETCH(std::uint32_t, inode);
    QFETCH(std::uint32_t, uid);
    QFETCH(QString, ownership);
    QFETCH(QString, owners);

    FakeProc proc;
    QVERIFY(proc.isValid());
    QVERIFY(proc.addProcess(100,
                            QByteArray("fake\0server\0--port\0"
                                       "80\0",
                                       22),
                            "fake\n"));
    QVERIFY(proc.addSocket(100, 3, 5001));
    QVERIFY(proc.addFd(100, 4, "/dev/null"));
    QVERIFY(proc.addFd(100, 5, "pipe:[5002]"));
    QVERIFY(proc.addSocket(100, 7, 5002));
    QVERIFY(proc.addSocket(100, 8, 5003));
    QVERIFY(proc.addSocket(100, 9, 5003));
    QVERIFY(proc.addProcess(200, QByteArray(), "kworker/0:1\n")); // kernel threads: no cmdline
    QVERIFY(proc.addSocket(200, 5, 5001));
    if (unreadablePid) {
        QVERIFY(proc.addUnreadableProcess(300));
        const QByteArray path = QFile::encodeName(proc.pidPath(300));
        if (unreadableIsOtherUser && ::chown(path.constData(), ourUid() + 1000, gid_t(-1)) != 0)
            QSKIP("giving the fake process to another user needs root");
    }

    OwnerResolver resolver(proc.root());
    const SocketRecord record = recordWithInode(inode, uid);
    resolver.refresh({record});
    if (inode != 0) { // inode 0 needs no scan
        QCOMPARE(resolver.sawEverything(), !unreadablePid);
        QCOMPARE(resolver.lastScan().pidsUnreadable, unreadablePid ? 1 : 0);
    }
    const OwnerLookup lookup = resolver.lookup(record);
    QCOMPARE(ownershipName(lookup.ownership), ownership);
    QCOMPARE(ownersText(lookup), owners);
}

void TestOwners::descriptorHygiene()
{
    const UniqueFd first = test::listenOn();
    const UniqueFd second = test::listenOn();
    QVERIFY(first.valid() && second.valid());
    FakeProc proc;
    QVERIFY(proc.addProcess(10, "x\0", "x\n") && proc.addSocket(10, 3, 7000));
    QVERIFY(proc.addUnreadableProcess(11));
    const std::vector<SocketRecord> one{recordFor(first.get())};
    const std::vector<SocketRecord> two{recordFor(first.get()), recordFor(second.get())};
    const std::vector<SocketRecord> fake{recordWithInode(7000), recordWithInode(7001)};

    const int before = test::openDescriptorCount();
    OwnerResolver real;
    OwnerResolver fakeResolver(proc.root());
    OwnerResolver missingRoot(QStringLiteral("/nonexistent/proc"));
    for (int cycle = 0; cycle < 200; ++cycle) {
        if (cycle % 10 == 0) {
            real.invalidate();
            fakeResolver.invalidate();
        }
        real.refresh(cycle % 2 ? one : two);
        fakeResolver.refresh(fake);
        missingRoot.refresh(one);
    }
    QCOMPARE(test::openDescriptorCount(), before);
    QVERIFY(!missingRoot.sawEverything());
    QCOMPARE(missingRoot.lookup(one[0]).ownership, Ownership::Unknown);
    QCOMPARE(real.lookup(one[0]).ownership, Ownership::Owned);
    QCOMPARE(fakeResolver.lookup(fake[0]).ownership, Ownership::Owned);
}

void TestOwners::otherNamespaceNotRead()
{
    struct stat ours = {};
    if (::stat("/proc/self/ns/net", &ours) != 0)
        QSKIP("no /proc/self/ns/net here");
    // A child enters a network namespace of its own, opens a TCP socket there and
    // tells us its inode (and why not) through memory shared across the fork.
    struct Report
    {
        std::uint32_t inode;
        int error;
    };
    void *shared =
        ::mmap(nullptr, sizeof(Report), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    QVERIFY(shared != MAP_FAILED);
    const std::unique_ptr<void, std::function<void(void *)>> unmap(
        shared, [](void *memory) { ::munmap(memory, sizeof(Report)); });
    auto *report = new (shared) Report{0, 0};
    test::SocketHolder child([report] {
        if (::unshare(CLONE_NEWNET) != 0) {
            report->error = errno;
            return false;
        }
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct stat status = {};
        if (fd < 0 || ::fstat(fd, &status) != 0) {
            report->error = errno;
            return false;
        }
        report->inode = std::uint32_t(status.st_ino);
        return true;
    });
    if (!child.waitReady())
        QSKIP(qPrintable(QStringLiteral("a child could not enter a network namespace: %1")
                             .arg(QString::fromLocal8Bit(strerror(report->error)))));
    const UniqueFd listener = test::listenOn();
    QVERIFY(listener.valid());
    // The child's socket is not in our namespace's dump; given as if it were,
    // it must stay unplaced, because the child's fds are never read.
    const std::vector<SocketRecord> records{recordFor(listener.get()),
                                            recordWithInode(report->inode)};
    OwnerResolver resolver;
    resolver.refresh(records);
    QVERIFY(resolver.lastScan().scanned);
    QVERIFY(resolver.lastScan().pidsOtherNamespace >= 1);
    QVERIFY(resolver.lastScan().pidsOtherNamespace <= resolver.lastScan().pidsListed);
    QCOMPARE(resolver.lookup(records[0]).ownership, Ownership::Owned); // our namespace is read
    QVERIFY(resolver.lookup(records[1]).ownership != Ownership::Owned);
}

void TestOwners::otherNamespaceFakeProc()
{
    FakeProc proc;
    QVERIFY(proc.isValid());
    QVERIFY(proc.addProcess(10, "here\0", "here\n") && proc.addSocket(10, 3, 1010));
    QVERIFY(proc.addProcess(20, "there\0", "there\n") && proc.addSocket(20, 3, 2020));
    QVERIFY(proc.addProcess(30, "untold\0", "untold\n") && proc.addSocket(30, 3, 3030));
    QVERIFY(proc.setNamespace(QStringLiteral("10"), true));
    QVERIFY(proc.setNamespace(QStringLiteral("20"), false));
    // pid 30 has no ns link: a namespace we cannot tell is read, not skipped.
    const std::vector<SocketRecord> records{recordWithInode(1010), recordWithInode(2020),
                                            recordWithInode(3030)};
    OwnerResolver resolver(proc.root());
    resolver.refresh(records);
    QCOMPARE(resolver.lastScan().pidsListed, 3);
    QCOMPARE(resolver.lastScan().pidsOtherNamespace, 1);
    QCOMPARE(resolver.lastScan().fdsRead, 2);
    QCOMPARE(ownersText(resolver.lookup(records[0])), QStringLiteral("10/3/here"));
    QCOMPARE(ownersText(resolver.lookup(records[2])), QStringLiteral("30/3/untold"));
    // Nobody in our namespace holds it, and every process there was read.
    QVERIFY(resolver.sawEverything());
    QCOMPARE(resolver.lookup(records[1]).ownership, Ownership::Orphaned);
}

void TestOwners::reusedPidReadAgain()
{
    FakeProc proc;
    QVERIFY(proc.isValid());
    QVERIFY(proc.addProcess(5, "old\0", "old\n") && proc.setStartTime(5, 1000));
    QVERIFY(proc.addSocket(5, 3, 4001));
    QVERIFY(proc.addFd(5, 4, "pipe:[77]"));
    OwnerResolver resolver(proc.root());
    const SocketRecord first = recordWithInode(4001, ourUid(), TcpState::Established);
    resolver.refresh({first});
    QCOMPARE(ownersText(resolver.lookup(first)), QStringLiteral("5/3/old"));
    QCOMPARE(resolver.lastScan().fdsRead, 2);

    // Pid 5 exits and a new process gets the number, with a socket at fd 4
    // (a pipe in the cache) and fd 3 pointing at the same inode (inherited).
    QVERIFY(QFile::remove(proc.pidPath(5) + QStringLiteral("/fd/4")));
    QVERIFY(proc.addSocket(5, 4, 4002));
    QVERIFY(writeFile(proc.pidPath(5) + QStringLiteral("/cmdline"), QByteArray("new\0", 4)));
    QVERIFY(proc.setStartTime(5, 2000));
    const SocketRecord second = recordWithInode(4002, ourUid(), TcpState::Established);
    resolver.refresh({first, second});
    QCOMPARE(resolver.lastScan().pidsRestarted, 1);
    QCOMPARE(resolver.lastScan().fdsRead, 2); // both numbers read again, not just new ones
    QCOMPARE(ownersText(resolver.lookup(second)), QStringLiteral("5/4/new"));
    QCOMPARE(ownersText(resolver.lookup(first)), QStringLiteral("5/3/new"));

    // Same start time: the cache stands, only new numbers are read.
    QVERIFY(proc.addSocket(5, 5, 4003));
    const SocketRecord third = recordWithInode(4003, ourUid(), TcpState::Established);
    resolver.refresh({first, second, third});
    QCOMPARE(resolver.lastScan().pidsRestarted, 0);
    QCOMPARE(resolver.lastScan().fdsRead, 1);
    QCOMPARE(ownersText(resolver.lookup(third)), QStringLiteral("5/5/new"));
}

void TestOwners::earlyStopOnceAllPlaced()
{
    constexpr int kPids = 50;
    constexpr int kFds = 10;
    FakeProc proc;
    QVERIFY(proc.isValid());
    QVERIFY(proc.addServers(kPids, kFds));
    const std::vector<SocketRecord> firstFive = FakeProc::serverRecords(5, kFds);
    OwnerResolver everyHolder(proc.root());
    everyHolder.refresh(firstFive);
    QCOMPARE(everyHolder.lastScan().fdsRead, kPids * kFds);
    QVERIFY(!everyHolder.lastScan().stoppedEarly);

    OwnerResolver firstFound(proc.root(), OwnerResolver::Holders::FirstFound);
    firstFound.refresh(firstFive);
    QVERIFY(firstFound.lastScan().stoppedEarly);
    QCOMPARE(firstFound.lastScan().pidsListed, 5);
    QCOMPARE(firstFound.lastScan().fdsRead, 5 * kFds);
    for (const SocketRecord &record : firstFive)
        QCOMPARE(firstFound.lookup(record).ownership, Ownership::Owned);

    // An inode nobody holds: the walk has to finish, and only then is it Orphaned.
    std::vector<SocketRecord> withStray = firstFive;
    withStray.push_back(recordWithInode(999999, ourUid(), TcpState::Established));
    OwnerResolver strayed(proc.root(), OwnerResolver::Holders::FirstFound);
    strayed.refresh(withStray);
    QVERIFY(!strayed.lastScan().stoppedEarly);
    QCOMPARE(strayed.lastScan().pidsListed, kPids);
    QCOMPARE(strayed.lookup(withStray.back()).ownership, Ownership::Orphaned);

    // With real sockets: our listener is placed without reading every process.
    const UniqueFd listener = test::listenOn();
    QVERIFY(listener.valid());
    OwnerResolver real(QStringLiteral("/proc"), OwnerResolver::Holders::FirstFound);
    real.refresh({recordFor(listener.get())});
    QCOMPARE(real.lookup(recordFor(listener.get())).owners.value(0).pid, int(::getpid()));
}

void TestOwners::sparseTableOfAnotherProcess()
{
    // Another process's fds are read by number while the table is dense; a copy
    // far above the rest (a hole of hundreds) must still be found, by listing.
    constexpr int kHigh = 900;
    const UniqueFd listener = test::listenOn();
    QVERIFY(listener.valid());
    if (::fcntl(listener.get(), F_DUPFD_CLOEXEC, kHigh) != kHigh)
        QSKIP("descriptor 900 is taken or above our limit");
    const UniqueFd high(kHigh);
    ForkedChild child; // inherits both numbers
    QVERIFY(child.pid() > 0);
    const SocketRecord record = recordFor(listener.get());
    OwnerResolver resolver;
    resolver.refresh({record});
    const QString owners = ownersText(resolver.lookup(record));
    for (const int fd : {listener.get(), kHigh}) {
        for (const int pid : {int(::getpid()), int(child.pid())})
            QVERIFY2(owners.contains(QStringLiteral("%1/%2/").arg(pid).arg(fd)),
                     qPrintable(owners));
    }
    QCOMPARE(resolver.lookup(record).owners.size(), 4);
}

SOCKSCOPE_TEST_MAIN_NETNS(TestOwners, QCoreApplication)
#include "tst_owners.moc"

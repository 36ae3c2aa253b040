// SPDX-License-Identifier: GPL-3.0-or-later
#include "labnamespace.h"
#include "netns/containername.h"
#include "netns/namespacelist.h"
#include "netns/namespacescope.h"
#include "netns/networknamespace.h"
#include "processrun.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::test;

namespace {

const QString kBinary = QStringLiteral(SOCKSCOPE_BINARY);

QJsonArray dumpJson(const QStringList &extra, QByteArray *err = nullptr)
{
    const ProcessRun run = runProcess(
        kBinary, QStringList{QStringLiteral("dump"), QStringLiteral("--json")} + extra, 20000);
    if (err)
        *err = run.err;
    return QJsonDocument::fromJson(run.out).array();
}

// The dump as ss prints it: "STATE local remote", sorted.
QStringList asSs(const QJsonArray &dump)
{
    QStringList sockets;
    for (const QJsonValue &value : dump) {
        const QJsonObject o = value.toObject();
        const int remotePort = o.value(QStringLiteral("remote_port")).toInt();
        sockets << QStringLiteral("%1 %2:%3 %4:%5")
                       .arg(o.value(QStringLiteral("state")).toString(),
                            o.value(QStringLiteral("local_address")).toString())
                       .arg(o.value(QStringLiteral("local_port")).toInt())
                       .arg(o.value(QStringLiteral("remote_address")).toString(),
                            remotePort == 0 ? QStringLiteral("*") : QString::number(remotePort));
    }
    sockets.sort();
    return sockets;
}

#define REQUIRE_LAB_NAMESPACE(lab)                                                                 \
    if (!(lab).unavailable().isEmpty())                                                            \
    QSKIP(qPrintable((lab).unavailable()))

} // namespace

class TestNetns : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Cgroup paths as the runtimes write them (fixtures: a parser's edge cases).
    void containerFromCgroup_data()
    {
        QTest::addColumn<QByteArray>("cgroup");
        QTest::addColumn<QString>("text");
        const QByteArray id = "3f2a9c1b7e4d" + QByteArray(52, 'a');
        QTest::newRow("docker, systemd driver") << "0::/system.slice/docker-" + id + ".scope\n"
                                                << QStringLiteral("docker 3f2a9c1b7e4d");
        QTest::newRow("docker, cgroupfs driver, v1")
            << "12:pids:/docker/" + id + "\n11:cpu:/docker/" + id + "\n"
            << QStringLiteral("docker 3f2a9c1b7e4d");
        QTest::newRow("podman") << "0::/machine.slice/libpod-" + id + ".scope/container\n"
                                << QStringLiteral("podman 3f2a9c1b7e4d");
        QTest::newRow("containerd (kubernetes)")
            << "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/"
               "cri-containerd-" +
                   id + ".scope\n"
            << QStringLiteral("containerd 3f2a9c1b7e4d");
        QTest::newRow("systemd-nspawn, escaped")
            << QByteArray("0::/machine.slice/machine-build\\x2dbox.scope/payload\n")
            << QStringLiteral("systemd-nspawn build-box");
        QTest::newRow("lxc 4+") << QByteArray("0::/lxc.payload.db1/init.scope\n")
                                << QStringLiteral("lxc db1");
        QTest::newRow("lxc, older")
            << QByteArray("4:memory:/lxc/web/\n") << QStringLiteral("lxc web");
        QTest::newRow("a user session")
            << QByteArray("0::/user.slice/user-1000.slice/session-2.scope\n") << QString();
        QTest::newRow("short id is not docker's")
            << QByteArray("0::/system.slice/docker-3f2a.scope\n") << QString();
        QTest::newRow("garbage") << QByteArray("\x01\xff::::\n\n:") << QString();
    }
    void containerFromCgroup()
    {
        QFETCH(QByteArray, cgroup);
        QFETCH(QString, text);
        QCOMPARE(sockscope::containerFromCgroup(cgroup).text(), text);
    }

    // Docker's own files name the container without its daemon.
    void runtimeNameFromDockerConfig()
    {
        QTemporaryDir root;
        const QString id = QString(64, QLatin1Char('b'));
        const QString folder = root.path() + QStringLiteral("/var/lib/docker/containers/") + id;
        QVERIFY(QDir().mkpath(folder));
        QFile config(folder + QStringLiteral("/config.v2.json"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"ID":"bbbb","Name":"/web-1","State":{}})");
        config.close();
        ContainerName container{QStringLiteral("docker"), id, {}};
        addRuntimeName(container, root.path());
        QCOMPARE(container.text(), QStringLiteral("docker bbbbbbbbbbbb (web-1)"));
    }

    // A real container, where docker runs one on this machine.
    void realDockerContainer()
    {
        bool found = false;
        for (const NamespaceInfo &info : listNetworkNamespaces()) {
            if (info.container.runtime == QLatin1String("docker")) {
                QCOMPARE(info.container.id.size(), 64);
                found = true;
            }
        }
        if (!found)
            QSKIP("no docker container is running on this machine");
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown name") << QStringLiteral("no-such-namespace-x")
                                      << QStringLiteral("no network namespace named 'no-such-"
                                                        "namespace-x' in ");
        QTest::newRow("not nsfs") << QCoreApplication::applicationFilePath()
                                  << QStringLiteral("not a namespace file (nsfs)");
        QTest::newRow("not a network namespace")
            << QStringLiteral("/proc/self/ns/uts") << QStringLiteral("not a network one");
        QTest::newRow("empty") << QString() << QStringLiteral("--netns needs a name");
        // Opened without blocking: a FIFO waits for no writer.
        static QTemporaryDir fifoDir;
        const QString fifo = fifoDir.path() + QStringLiteral("/fifo");
        if (::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0)
            QTest::newRow("a FIFO") << fifo << QStringLiteral("not a namespace file (nsfs)");
    }
    void badInput()
    {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        auto resolved = NetworkNamespace::resolve(spec);
        QVERIFY(!resolved);
        QVERIFY2(resolved.error().message.contains(expected), qPrintable(resolved.error().message));
    }

    // The names there are, or how to make one.
    void unknownNameListsTheNames()
    {
        QTemporaryDir named;
        auto none = NetworkNamespace::resolve(QStringLiteral("blue"), named.path());
        QVERIFY(!none);
        QVERIFY2(none.error().message.contains(u"ip netns add"), qPrintable(none.error().message));
        QFile(named.path() + QStringLiteral("/red")).open(QIODevice::WriteOnly);
        QFile(named.path() + QStringLiteral("/green")).open(QIODevice::WriteOnly);
        auto listed = NetworkNamespace::resolve(QStringLiteral("blue"), named.path());
        QVERIFY2(listed.error().message.contains(u"there are: green, red"),
                 qPrintable(listed.error().message));
    }

    void pidThatExited()
    {
        QProcess child;
        child.start(QStringLiteral("true"), {});
        QVERIFY(child.waitForFinished(10000));
        const QString pid = QString::number(child.processId() > 0 ? child.processId() : 999999);
        // The pid of a process that is gone (reaped by QProcess).
        auto resolved = NetworkNamespace::resolve(QStringLiteral("%1").arg(pid));
        if (resolved)
            QSKIP("the pid was reused already");
        QVERIFY2(resolved.error().message.contains(u"no process"),
                 qPrintable(resolved.error().message));
        const ProcessRun run =
            runProcess(kBinary, {QStringLiteral("dump"), QStringLiteral("--netns"), pid}, 10000);
        QCOMPARE(run.status, 2);
        QVERIFY2(run.err.contains("it has exited"), run.err.constData());
    }

    // Our own namespace needs no privilege: no switch at all.
    void ownNamespaceWithoutPrivilege()
    {
        auto own = NetworkNamespace::resolve(QStringLiteral("/proc/self/ns/net"));
        QVERIFY2(own, own ? "" : qPrintable(own.error().message));
        QCOMPARE(own->inode(), currentNetworkNamespaceInode());
        QCOMPARE(own->key(), QStringLiteral("netns:%1").arg(currentNetworkNamespaceInode()));
    }

    // An unprivileged user: a namespace it may see but not enter.
    void unprivilegedUserIsToldWhy()
    {
        if (::geteuid() == 0)
            QSKIP("runs as an unprivileged user (the unprivileged pass)");
        const QString unshare = QStandardPaths::findExecutable(QStringLiteral("unshare"));
        if (unshare.isEmpty())
            QSKIP("needs unshare (util-linux)");
        QProcess other;
        other.start(unshare, {QStringLiteral("-r"), QStringLiteral("-n"), QStringLiteral("sleep"),
                              QStringLiteral("20")});
        QVERIFY(other.waitForStarted(10000));
        // unshare's pid becomes sleep's once the namespace is made.
        const QString ns = QStringLiteral("/proc/%1/ns/net").arg(other.processId());
        QDeadlineTimer deadline(5000);
        while (!deadline.hasExpired() &&
               QFile::symLinkTarget(ns) ==
                   QFile::symLinkTarget(QStringLiteral("/proc/self/ns/net")))
            QTest::qWait(20);
        if (other.state() != QProcess::Running)
            QSKIP("unprivileged user namespaces are not allowed here (unshare -r -n failed)");
        const ProcessRun run = runProcess(
            kBinary,
            {QStringLiteral("dump"), QStringLiteral("--netns"), QString::number(other.processId())},
            10000);
        other.kill();
        other.waitForFinished(5000);
        QCOMPARE(run.status, 2);
        QVERIFY2(run.err.contains("needs root (or CAP_SYS_ADMIN)"), run.err.constData());
    }

    // Socket for socket what ss sees inside, however the namespace is named.
    void dumpAgreesWithSsInside()
    {
        LabNamespace lab(kBinary, LabNamespace::Kind::Named, 31900);
        REQUIRE_LAB_NAMESPACE(lab);
        const QStringList ss = lab.ssSockets();
        QCOMPARE(ss.size(), 3); // the listener and both ends of the connection
        const QString pid = QString::number(lab.labPid());
        for (const QString &spec : {lab.name(), QStringLiteral("/run/netns/") + lab.name(), pid,
                                    QStringLiteral("/proc/%1/ns/net").arg(pid)}) {
            QByteArray err;
            const QJsonArray dump = dumpJson({QStringLiteral("--netns"), spec}, &err);
            QCOMPARE(asSs(dump), ss);
            // Owned by the lab, the process inside.
            for (const QJsonValue &value : dump) {
                const QJsonArray owners =
                    value.toObject().value(QStringLiteral("owners")).toArray();
                QVERIFY2(!owners.isEmpty(), err.constData());
                QCOMPARE(owners.first().toObject().value(QStringLiteral("pid")).toInteger(),
                         lab.labPid());
            }
        }
        // None of it is in our own namespace's dump (the connection's ends
        // have an ephemeral port: unique on the machine's loopback too).
        const QStringList own = asSs(dumpJson({QStringLiteral("--no-owners")}));
        for (const QString &socket : ss) {
            if (socket.startsWith(u"ESTABLISHED"))
                QVERIFY2(!own.contains(socket), qPrintable(socket));
        }
    }

    void unsharedNamespaceByPid()
    {
        LabNamespace lab(kBinary, LabNamespace::Kind::Unshared, 31910);
        REQUIRE_LAB_NAMESPACE(lab);
        const QStringList ss = lab.ssSockets();
        QCOMPARE(ss.size(), 3);
        QCOMPARE(asSs(dumpJson({QStringLiteral("--netns"), QString::number(lab.labPid()),
                                QStringLiteral("--no-owners")})),
                 ss);
    }

    // The list names it as ip netns does; an unshared one by its process.
    void listNamesThem()
    {
        LabNamespace named(kBinary, LabNamespace::Kind::Named, 31920);
        REQUIRE_LAB_NAMESPACE(named);
        LabNamespace unshared(kBinary, LabNamespace::Kind::Unshared, 31930);
        REQUIRE_LAB_NAMESPACE(unshared);
        bool sawNamed = false;
        bool sawUnshared = false;
        bool sawMachine = false;
        for (const NamespaceInfo &info : listNetworkNamespaces()) {
            sawMachine |= info.thisMachine && info.label() == QLatin1String("this machine");
            if (info.netnsName == named.name()) {
                sawNamed = true;
                QCOMPARE(info.label(), QStringLiteral("ip netns ") + named.name());
                QCOMPARE(info.sockets, 3);
                QCOMPARE(info.firstPid, int(named.labPid()));
            }
            if (info.firstPid == int(unshared.labPid())) {
                sawUnshared = true;
                QCOMPARE(info.label(), QStringLiteral("pid %1 sockscope").arg(unshared.labPid()));
                QCOMPARE(info.spec(), QString::number(unshared.labPid()));
                QCOMPARE(info.sockets, 3);
            }
        }
        QVERIFY(sawNamed);
        QVERIFY(sawUnshared);
        QVERIFY(sawMachine);
        // The command prints the same, with what --netns takes.
        const ProcessRun run =
            runProcess(kBinary, {QStringLiteral("netns"), QStringLiteral("--json")}, 20000);
        QCOMPARE(run.status, 0);
        bool listed = false;
        for (const QJsonValue &value : QJsonDocument::fromJson(run.out).array())
            listed |= value.toObject().value(QStringLiteral("netns")).toString() == named.name();
        QVERIFY2(listed, run.out.constData());
    }

    // A transition made inside reaches watch --netns (traced or polled).
    void watchSeesTransitionInside_data()
    {
        QTest::addColumn<bool>("trace");
        QTest::newRow("trace (or polling where not allowed)") << true;
        QTest::newRow("polling") << false;
    }
    void watchSeesTransitionInside()
    {
        QFETCH(bool, trace);
        LabNamespace lab(kBinary, LabNamespace::Kind::Named, 31940);
        REQUIRE_LAB_NAMESPACE(lab);
        QProcess watch;
        QStringList arguments{QStringLiteral("watch"),      QStringLiteral("--json"),
                              QStringLiteral("--netns"),    lab.name(),
                              QStringLiteral("--interval"), QStringLiteral("50")};
        if (!trace)
            arguments << QStringLiteral("--no-trace");
        watch.start(kBinary, arguments);
        QVERIFY(watch.waitForStarted(10000));
        // Watching once it said how: tracing or polling.
        QDeadlineTimer ready(20000);
        QByteArray err;
        while (!err.contains("network namespace") && !ready.hasExpired()) {
            watch.waitForReadyRead(100);
            err += watch.readAllStandardError();
        }
        QVERIFY2(err.contains(qPrintable(lab.name())), err.constData());
        QVERIFY(lab.command(QStringLiteral("close C1")).startsWith(QLatin1String("ok")));
        QByteArray out;
        bool sawClose = false;
        QDeadlineTimer deadline(15000);
        while (!sawClose && !deadline.hasExpired()) {
            watch.waitForReadyRead(100);
            out += watch.readAllStandardOutput();
            for (const QByteArray &line : out.split('\n')) {
                const QJsonObject event = QJsonDocument::fromJson(line).object();
                if (event.value(QStringLiteral("event")).toString() == QLatin1String("state") &&
                    event.value(QStringLiteral("remote_port")).toInt() == 31940 &&
                    (event.value(QStringLiteral("to")).toString().startsWith(u"FIN_WAIT") ||
                     event.value(QStringLiteral("to")).toString() == u"TIME_WAIT"))
                    sawClose = true;
                // Nothing of this machine's own: every event is the lab's port.
                if (!line.isEmpty() && event.value(QStringLiteral("local_port")).toInt() != 31940 &&
                    event.value(QStringLiteral("remote_port")).toInt() != 31940)
                    QFAIL(line.constData());
            }
        }
        watch.terminate();
        watch.waitForFinished(10000);
        QVERIFY2(sawClose, (out + err).constData());
    }
};

QTEST_GUILESS_MAIN(TestNetns)
#include "tst_netns.moc"

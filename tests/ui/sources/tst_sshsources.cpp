// SPDX-License-Identifier: GPL-3.0-or-later
// Servers in the window's source picker: the Host lines of an ssh config
// (the one of an sshd this test starts, and a hand-written one), the servers
// chosen lately, and "Add server…" refusing bad input with a clear error.
// Choosing the sshd's Host makes a RemoteSource that reaches it.
#include "netns.h"
#include "remote/remotesource.h"
#include "sources/addserverdialog.h"
#include "sources/sourcepicker.h"
#include "sources/sshsources.h"
#include "sshdrun.h"

#include <memory>
#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::test;

namespace {

RemoteMaker plainRemote()
{
    return [](const SshTarget &target) { return new RemoteSource(target); };
}

// The picker's entries once listed.
QList<SourceEntry> listed(SourcePicker &picker)
{
    QSignalSpy done(&picker, &SourcePicker::listed);
    picker.refresh();
    if (!done.wait(10000))
        return {};
    return picker.entries();
}

const SourceEntry *withKey(const QList<SourceEntry> &entries, const QString &key)
{
    for (const SourceEntry &entry : entries) {
        if (entry.key == key)
            return &entry;
    }
    return nullptr;
}

} // namespace

class TestSshSources : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // The recent servers go to a settings folder of the test's own.
        QVERIFY(m_settings.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
        QCoreApplication::setOrganizationName(QStringLiteral("sockscope-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_sshsources"));
    }

    void configHostsWithoutPatterns()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("# servers\nHost web1 db-*\n  HostName 192.0.2.1\nhost=bastion # the jump "
                   "host\nHost *\n  ServerAliveInterval 30\nHOST !old  db?  backup.example\n"
                   "Match host x\nHost web1\n");
        file.close();
        QCOMPARE(sshConfigHosts(config),
                 (QStringList{QStringLiteral("web1"), QStringLiteral("bastion"),
                              QStringLiteral("backup.example")}));
        QVERIFY(sshConfigHosts(dir.filePath(QStringLiteral("none"))).isEmpty());
    }

    void pickerListsConfigHostsRecentServersAndAdd()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Host web1\n");
        file.close();
        QSettings().remove(QStringLiteral("sources/recentServers"));
        SshTarget recent;
        recent.user = QStringLiteral("root");
        recent.host = QStringLiteral("2001:db8::5");
        recent.port = 2222;
        rememberServer(recent);

        SourcePicker picker;
        picker.addLister(sshLister(config, plainRemote()));
        const QList<SourceEntry> entries = listed(picker);
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries[0].key, QStringLiteral("ssh:root@2001:db8::5:2222"));
        QCOMPARE(entries[0].detail, QStringLiteral("recent server"));
        QCOMPARE(entries[1].key, QStringLiteral("ssh:web1"));
        QCOMPARE(entries[1].detail, QStringLiteral("ssh config"));
        QVERIFY(entries[1].toolTip.endsWith(
            QStringLiteral("sockscope --ssh web1 --ssh-config %1").arg(config)));
        QCOMPARE(entries[2].label, QStringLiteral("Add server…"));
        QVERIFY(entries[2].ask && !entries[2].make);

        // Choosing web1 makes its source, with the config, and makes it recent.
        QSignalSpy chosen(&picker, &SourcePicker::chosen);
        Q_EMIT picker.activated(1);
        QCOMPARE(chosen.size(), 1);
        const auto entry = chosen.first().first().value<SourceEntry>();
        std::unique_ptr<SocketSource> source(entry.make());
        auto *remote = qobject_cast<RemoteSource *>(source.get());
        QVERIFY(remote);
        QCOMPARE(remote->target().host, QStringLiteral("web1"));
        QCOMPARE(remote->target().configFile, config);
        QCOMPARE(recentServers(),
                 (QStringList{QStringLiteral("web1"), QStringLiteral("root@[2001:db8::5]:2222")}));
    }

    void addServerRefusesBadInput_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << QString()
                               << QStringLiteral("Type a server: [user@]host[:port], e.g. "
                                                 "root@server.example:2222");
        QTest::newRow("two at signs")
            << QStringLiteral("root@@db")
            << QStringLiteral("invalid --ssh 'root@@db': expected [user@]host[:port], e.g. "
                              "root@server.example:2222");
        QTest::newRow("bad port") << QStringLiteral("db:70000")
                                  << QStringLiteral(
                                         "invalid --ssh port '70000': expected 1 to 65535");
        QTest::newRow("an option") << QStringLiteral("-oProxyCommand=x")
                                   << QStringLiteral("invalid --ssh '-oProxyCommand=x': expected "
                                                     "[user@]host[:port], e.g. "
                                                     "root@server.example:2222");
    }

    void addServerRefusesBadInput()
    {
        QFETCH(QString, typed);
        QFETCH(QString, problem);
        AddServerDialog dialog;
        dialog.show();
        auto *server = dialog.findChild<QLineEdit *>(QStringLiteral("server"));
        QVERIFY(server);
        QTest::keyClicks(server, typed);
        QTest::keyClick(server, Qt::Key_Return);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(dialog.problem(), problem);
        // Typing again clears it; a good server is taken.
        server->clear();
        QTest::keyClicks(server, QStringLiteral("me@[::1]:2200"));
        QVERIFY(dialog.problem().isEmpty());
        QTest::keyClick(server, Qt::Key_Return);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.target().user, QStringLiteral("me"));
        QCOMPARE(dialog.target().host, QStringLiteral("::1"));
        QCOMPARE(dialog.target().port, 2200);
    }

    void sshdHostIsListedAndReached()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        SshdRun sshd;
        SOCKSCOPE_START_SSHD(sshd);
        SourcePicker picker;
        picker.addLister(sshLister(sshd.config(), plainRemote()));
        const QList<SourceEntry> entries = listed(picker);
        const SourceEntry *entry = withKey(entries, QStringLiteral("ssh:") + sshd.host());
        QVERIFY(entry);
        std::unique_ptr<SocketSource> source(entry->make());
        QSignalSpy batches(source.get(), &SocketSource::batchReady);
        QSignalSpy access(source.get(), &SocketSource::accessChanged);
        source->start();
        QTRY_VERIFY_WITH_TIMEOUT(!batches.isEmpty(), 15000);
        QCOMPARE(access.size(), 1);
        // The "server" is this machine, its agent run by this user.
        QCOMPARE(source->accessSummary(),
                 ::geteuid() == 0 ? QStringLiteral("server: root, every owner visible")
                                  : QStringLiteral("server: unprivileged: other users' sockets "
                                                   "show owner 'unknown' (log in as root to see "
                                                   "them)"));
        source->stop();
    }

private:
    QTemporaryDir m_settings;
};

SOCKSCOPE_TEST_MAIN_NETNS(TestSshSources, QApplication)
#include "tst_sshsources.moc"

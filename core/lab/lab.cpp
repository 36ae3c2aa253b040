// SPDX-License-Identifier: GPL-3.0-or-later
// The lab's front: ids, validation and the registries of its objects. What
// each object does is in listener.cpp, clientconnection.cpp, serverprocess.cpp.
#include "lab/lab.h"

#include "lab/clientconnection.h"
#include "lab/clientconnector.h"
#include "lab/eventreporter.h"
#include "lab/listener.h"
#include "lab/serverprocess.h"
#include "netns/namespacescope.h"

#include <cerrno>
#include <csignal>
#include <map>
#include <QHash>

namespace sockscope {

namespace {
constexpr int kMaxClientCount = 10000;

// "L12" -> 12 for prefix 'L' (either case); nullopt for anything else.
std::optional<int> idNumber(const QString &id, QChar prefix)
{
    if (id.size() < 2 || id.at(0).toUpper() != prefix)
        return std::nullopt;
    bool ok = false;
    const int number = id.mid(1).toInt(&ok);
    if (!ok || number < 1)
        return std::nullopt;
    return number;
}

template <typename Object>
Object *find(const std::map<int, std::unique_ptr<Object>> &objects, const QString &id, QChar prefix)
{
    const std::optional<int> number = idNumber(id, prefix);
    if (!number)
        return nullptr;
    const auto found = objects.find(*number);
    return found == objects.end() ? nullptr : found->second.get();
}
} // namespace

class Lab::Private
{
public:
    Private(Lab *lab, QString executable, NetworkNamespace where)
        : serverExecutable(std::move(executable)), ns(std::move(where)),
          sink([lab](const LabEvent &event) { Q_EMIT lab->labEvent(event); })
    {
    }

    // The calling thread inside the lab's namespace until the scope ends; a
    // refusal (no privilege) explained like any failure of `what`.
    Result<NamespaceScope> enter(const QString &what) const
    {
        auto scope = NamespaceScope::enter(ns);
        if (!scope) {
            return EventReporter(QString(), sink)
                .fail(what, plainExplanation(scope.error().errnum,
                                             QStringLiteral("network namespace %1: %2")
                                                 .arg(ns.spec(), scope.error().message)));
        }
        return scope;
    }

    // EINVAL, explained as "no listener L9", and its event.
    Error unknown(const QString &id, const QString &kind) const
    {
        return EventReporter(id, sink).fail(
            QStringLiteral("%1 %2").arg(kind, id),
            plainExplanation(EINVAL, QStringLiteral("no %1 %2").arg(kind, id)));
    }
    // A client "C3", or a connection "L1.2" that listener L1 accepted.
    ClientConnection *connection(const QString &id) const
    {
        const qsizetype dot = id.indexOf(QLatin1Char('.'));
        if (dot < 0)
            return find(clients, id, QLatin1Char('C'));
        const Listener *listener = find(listeners, id.left(dot), QLatin1Char('L'));
        bool ok = false;
        const int number = id.mid(dot + 1).toInt(&ok);
        return listener && ok ? listener->connection(number) : nullptr;
    }
    QString connectionKind(const QString &id) const
    {
        return id.contains(QLatin1Char('.')) ? QStringLiteral("connection")
                                             : QStringLiteral("client");
    }
    Result<ClientStatus> actOn(const QString &id, Status (ClientConnection::*action)())
    {
        ClientConnection *client = connection(id);
        if (!client)
            return unknown(id, connectionKind(id));
        const auto scope = enter(connectionKind(id) + QLatin1Char(' ') + id);
        if (!scope)
            return scope.error();
        const Status done = (client->*action)();
        if (!done.ok())
            return done.error();
        return client->status();
    }
    Error invalid(const QString &what, const QString &why) const
    {
        return EventReporter(QString(), sink).fail(what, plainExplanation(EINVAL, why));
    }

    QString serverExecutable;
    NetworkNamespace ns;
    LabEventSink sink;
    std::map<int, std::unique_ptr<Listener>> listeners;
    std::map<int, std::unique_ptr<ClientConnection>> clients;
    std::map<int, std::unique_ptr<ServerProcess>> servers;
    int nextListener = 1;
    int nextClient = 1;
    int nextServer = 1;
};

Lab::Lab(QString serverExecutable, NetworkNamespace ns, QObject *parent)
    : QObject(parent),
      d(std::make_unique<Private>(this, std::move(serverExecutable), std::move(ns)))
{
    qRegisterMetaType<sockscope::LabEvent>();
}

const NetworkNamespace &Lab::networkNamespace() const
{
    return d->ns;
}

Lab::~Lab()
{
    closeAll();
    // Destroyed here, while the Lab is whole: their last events are still signals of it.
    d->clients.clear();
    d->listeners.clear();
    d->servers.clear();
}

Result<ListenerStatus> Lab::listen(const ListenerSpec &spec)
{
    const auto scope = d->enter(QStringLiteral("listen"));
    if (!scope)
        return scope.error();
    if (spec.backlog < 0)
        return d->invalid(QStringLiteral("listen"), QStringLiteral("the backlog must be >= 0"));
    auto listener = std::make_unique<Listener>(spec, d->sink);
    // The id is given only on success, so failed attempts do not use up ids;
    // their events carry no object id.
    const Status opened = listener->open();
    if (!opened.ok())
        return opened.error();
    const int number = d->nextListener++;
    listener->setId(QStringLiteral("L%1").arg(number));
    listener->noteListening();
    ListenerStatus status = listener->status();
    d->listeners.emplace(number, std::move(listener));
    return status;
}

Result<ListenerStatus> Lab::closeListener(const QString &id, StopMode mode)
{
    const auto scope = d->enter(QStringLiteral("close"));
    if (!scope)
        return scope.error();
    Listener *listener = find(d->listeners, id, QLatin1Char('L'));
    if (!listener)
        return d->unknown(id, QStringLiteral("listener"));
    const Status closed = listener->close(mode);
    if (!closed.ok())
        return closed.error();
    return listener->status();
}

Result<ListenerStatus> Lab::rebind(const QString &id)
{
    const auto scope = d->enter(QStringLiteral("rebind"));
    if (!scope)
        return scope.error();
    Listener *listener = find(d->listeners, id, QLatin1Char('L'));
    if (!listener)
        return d->unknown(id, QStringLiteral("listener"));
    const Status rebound = listener->rebind();
    if (!rebound.ok())
        return rebound.error();
    return listener->status();
}

Result<ListenerStatus> Lab::setAcceptMode(const QString &id, AcceptMode mode)
{
    Listener *listener = find(d->listeners, id, QLatin1Char('L'));
    if (!listener)
        return d->unknown(id, QStringLiteral("listener"));
    listener->setAcceptMode(mode);
    return listener->status();
}

Result<QList<ClientStatus>> Lab::connect(const ClientSpec &spec)
{
    const auto scope = d->enter(QStringLiteral("connect"));
    if (!scope)
        return scope.error();
    if (spec.count < 1 || spec.count > kMaxClientCount) {
        return d->invalid(
            QStringLiteral("connect"),
            QStringLiteral("count %1 is not from 1 to %2").arg(spec.count).arg(kMaxClientCount));
    }
    if (spec.timeoutMs <= 0 || spec.closeDelayMs < 0) {
        return d->invalid(QStringLiteral("connect"),
                          QStringLiteral("the timeout must be > 0 and the close delay >= 0"));
    }
    std::vector<SideWatch> ownListeners;
    for (const auto &[number, listener] : d->listeners) {
        if (const int fd = listener->acceptingFd(); fd >= 0)
            ownListeners.push_back(SideWatch{fd, [l = listener.get()] { return l->acceptNow(); }});
    }
    std::vector<ConnectOutcome> outcomes = connectMany(spec, std::move(ownListeners));
    // One explanation (one dump) per kind of failure, not one per connection:
    // 10,000 refused connects are the same story.
    QHash<QPair<int, int>, Explanation> explained;
    QList<ClientStatus> statuses;
    statuses.reserve(static_cast<qsizetype>(outcomes.size()));
    for (ConnectOutcome &outcome : outcomes) {
        const int number = d->nextClient++;
        ClientStatus status;
        status.id = QStringLiteral("C%1").arg(number);
        status.family = spec.family;
        status.local = outcome.local;
        status.remote = spec.remote;
        status.policy = spec.then;
        if (!outcome.connected()) {
            const QPair<int, int> key{outcome.errnum, static_cast<int>(outcome.failedAt)};
            if (!explained.contains(key)) {
                FailureContext context =
                    failureContext(outcome.failedAt, spec.family, outcome.local, spec.reuseAddr);
                context.remote = spec.remote;
                explained.insert(key, explainFailure(outcome.errnum, context));
            }
            status.phase = ClientPhase::Failed;
            status.failure = explained.value(key);
            EventReporter(status.id, d->sink)
                .fail(QStringLiteral("connect %1 -> %2")
                          .arg(outcome.local.text(spec.family), spec.remote.text(spec.family)),
                      *status.failure);
        }
        auto client = std::make_unique<ClientConnection>(status, std::move(outcome.fd),
                                                         spec.closeDelayMs, d->sink);
        if (client->isOpen())
            client->start();
        statuses.append(client->status());
        d->clients.emplace(number, std::move(client));
    }
    return statuses;
}

Result<ClientStatus> Lab::closeClient(const QString &id)
{
    return d->actOn(id, &ClientConnection::close);
}

Result<ClientStatus> Lab::shutdownClient(const QString &id)
{
    return d->actOn(id, &ClientConnection::shutdownWrite);
}

Result<ClientStatus> Lab::resetClient(const QString &id)
{
    return d->actOn(id, &ClientConnection::reset);
}

Result<ClientStatus> Lab::clientStatus(const QString &id) const
{
    ClientConnection *client = d->connection(id);
    if (!client)
        return d->unknown(id, d->connectionKind(id));
    return client->status();
}

Result<ServerStatus> Lab::startServer(const ServerSpec &spec)
{
    const auto scope = d->enter(QStringLiteral("server"));
    if (!scope)
        return scope.error();
    if (spec.nofile < 0)
        return d->invalid(QStringLiteral("server"), QStringLiteral("nofile must be >= 0"));
    if (spec.policy == AcceptErrorPolicy::Cap && spec.cap < 1)
        return d->invalid(QStringLiteral("server"), QStringLiteral("policy cap needs a cap >= 1"));
    if (d->serverExecutable.isEmpty()) {
        return d->invalid(QStringLiteral("server"),
                          QStringLiteral("this lab has no sockscope executable to start"));
    }
    // A spawned process gets an id even when it fails to listen: it existed.
    const int number = d->nextServer++;
    auto server = std::make_unique<ServerProcess>(QStringLiteral("P%1").arg(number), spec,
                                                  d->serverExecutable, d->sink);
    const Status started = server->start();
    ServerStatus status = server->status();
    d->servers.emplace(number, std::move(server));
    if (!started.ok())
        return started.error();
    return status;
}

Result<ServerStatus> Lab::killServer(const QString &id, int signal)
{
    ServerProcess *server = find(d->servers, id, QLatin1Char('P'));
    if (!server)
        return d->unknown(id, QStringLiteral("server"));
    if (signal <= 0 || signal >= NSIG) {
        return d->invalid(QStringLiteral("kill %1").arg(id),
                          QStringLiteral("%1 is not a signal number").arg(signal));
    }
    const Status killed = server->kill(signal);
    if (!killed.ok())
        return killed.error();
    return server->status();
}

Result<ServerStatus> Lab::serverStatus(const QString &id)
{
    ServerProcess *server = find(d->servers, id, QLatin1Char('P'));
    if (!server)
        return d->unknown(id, QStringLiteral("server"));
    return server->status();
}

QList<ListenerStatus> Lab::listeners() const
{
    QList<ListenerStatus> statuses;
    for (const auto &[number, listener] : d->listeners)
        statuses.append(listener->status());
    return statuses;
}

QList<ClientStatus> Lab::clients() const
{
    QList<ClientStatus> statuses;
    for (const auto &[number, client] : d->clients)
        statuses.append(client->status());
    return statuses;
}

QList<ServerStatus> Lab::servers() const
{
    QList<ServerStatus> statuses;
    for (const auto &[number, server] : d->servers)
        statuses.append(server->status());
    return statuses;
}

int Lab::openObjects() const
{
    const auto connectionOpen = [](const ClientStatus &client) {
        return client.phase == ClientPhase::Connected || client.phase == ClientPhase::PeerClosed ||
               client.phase == ClientPhase::HalfClosed;
    };
    int open = 0;
    for (const ListenerStatus &listener : listeners()) {
        open += listener.open ? 1 : 0;
        for (const ClientStatus &connection : listener.connections)
            open += connectionOpen(connection) ? 1 : 0;
    }
    for (const ClientStatus &client : clients())
        open += connectionOpen(client) ? 1 : 0;
    for (const ServerStatus &server : servers())
        open += server.running ? 1 : 0;
    return open;
}

void Lab::closeAll()
{
    for (const auto &[number, listener] : d->listeners)
        listener->finish();
    for (const auto &[number, client] : d->clients) {
        if (client->isOpen())
            client->close();
    }
    for (const auto &[number, server] : d->servers) {
        if (server->status().running)
            server->kill(SIGTERM);
    }
}

} // namespace sockscope

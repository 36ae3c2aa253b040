// SPDX-License-Identifier: GPL-3.0-or-later
#include "netns/containername.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QRegularExpression>

namespace sockscope {

namespace {

struct Pattern
{
    const char *runtime;
    QRegularExpression expression; // captures the id (64 hex) or the name
    bool capturesName;
};

const QList<Pattern> &patterns()
{
    static const QList<Pattern> list = {
        {"docker", QRegularExpression(QStringLiteral("docker-([0-9a-f]{64})\\.scope")), false},
        {"docker", QRegularExpression(QStringLiteral("/docker/([0-9a-f]{64})(?:/|$)")), false},
        {"podman", QRegularExpression(QStringLiteral("libpod-([0-9a-f]{64})(?:\\.scope|/|$)")),
         false},
        {"containerd",
         QRegularExpression(QStringLiteral("cri-containerd-([0-9a-f]{64})(?:\\.scope|/|$)")),
         false},
        {"systemd-nspawn", QRegularExpression(QStringLiteral("machine-([^/]+)\\.scope")), true},
        {"lxc", QRegularExpression(QStringLiteral("lxc\\.payload\\.([^/]+)")), true},
        {"lxc", QRegularExpression(QStringLiteral("/lxc/([^/]+)")), true},
    };
    return list;
}

// systemd escapes a unit name's '-' (and other bytes) as \xNN.
QString unescapeUnit(const QString &text)
{
    QByteArray out;
    const QByteArray in = text.toUtf8();
    for (qsizetype i = 0; i < in.size(); ++i) {
        bool ok = false;
        if (in[i] == '\\' && i + 3 < in.size() && in[i + 1] == 'x') {
            const int value = in.mid(i + 2, 2).toInt(&ok, 16);
            if (ok) {
                out += static_cast<char>(value);
                i += 3;
                continue;
            }
        }
        out += in[i];
    }
    return QString::fromUtf8(out);
}

QJsonDocument readJson(const QString &path)
{
    QFile file(path);
    constexpr qint64 kMostBytes = 4 * 1024 * 1024;
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.read(kMostBytes));
}

} // namespace

QString ContainerName::text() const
{
    if (!known())
        return {};
    QString text = runtime;
    if (!id.isEmpty())
        text += QLatin1Char(' ') + id.left(12);
    if (!name.isEmpty())
        text += id.isEmpty() ? QLatin1Char(' ') + name : QStringLiteral(" (%1)").arg(name);
    return text;
}

ContainerName containerFromCgroup(const QByteArray &cgroupText)
{
    for (const QByteArray &line : cgroupText.split('\n')) {
        const qsizetype second = line.indexOf(':', line.indexOf(':') + 1);
        if (second < 0)
            continue;
        const QString path = QString::fromUtf8(line.mid(second + 1)).trimmed();
        for (const Pattern &pattern : patterns()) {
            const QRegularExpressionMatch match = pattern.expression.match(path);
            if (!match.hasMatch())
                continue;
            ContainerName container;
            container.runtime = QString::fromLatin1(pattern.runtime);
            if (pattern.capturesName)
                container.name = unescapeUnit(match.captured(1));
            else
                container.id = match.captured(1);
            return container;
        }
    }
    return {};
}

void addRuntimeName(ContainerName &container, const QString &root)
{
    if (container.id.isEmpty() || !container.name.isEmpty())
        return;
    if (container.runtime == QLatin1String("docker")) {
        const QJsonDocument config = readJson(
            root +
            QStringLiteral("/var/lib/docker/containers/%1/config.v2.json").arg(container.id));
        container.name = config.object().value(QLatin1String("Name")).toString();
        if (container.name.startsWith(QLatin1Char('/')))
            container.name.remove(0, 1);
    } else if (container.runtime == QLatin1String("podman")) {
        const QJsonDocument list =
            readJson(root + QStringLiteral(
                                "/var/lib/containers/storage/overlay-containers/containers.json"));
        for (const QJsonValue &entry : list.array()) {
            const QJsonObject object = entry.toObject();
            const QJsonArray names = object.value(QLatin1String("names")).toArray();
            if (object.value(QLatin1String("id")).toString() == container.id && !names.isEmpty())
                container.name = names.at(0).toString();
        }
    }
}

} // namespace sockscope

// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/serverreport.h"

#include <array>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <QJsonDocument>
#include <QJsonObject>

namespace sockscope {

namespace {
constexpr std::array<std::pair<ServerReport::Kind, const char *>, 6> kKinds{{
    {ServerReport::Kind::Listening, "listening"},
    {ServerReport::Kind::Error, "error"},
    {ServerReport::Kind::Accept, "accept"},
    {ServerReport::Kind::AcceptError, "accept-error"},
    {ServerReport::Kind::Closed, "closed"},
    {ServerReport::Kind::Totals, "status"},
}};

const char *errnoNameOf(int errnum)
{
    const char *name = errnum != 0 ? strerrorname_np(errnum) : nullptr;
    return name ? name : "";
}
} // namespace

const char *serverReportKindName(ServerReport::Kind kind)
{
    for (const auto &[candidate, name] : kKinds) {
        if (candidate == kind)
            return name;
    }
    return "status";
}

std::string encodeServerReport(const ServerReport &report)
{
    // Plain snprintf: the child runs no Qt event loop and must be able to
    // report while it is out of descriptors and memory is all it has.
    char line[512];
    const int length = std::snprintf(
        line, sizeof line,
        "{\"event\":\"%s\",\"pid\":%d,\"port\":%u,\"op\":\"%s\",\"errno\":\"%s\",\"errnum\":%d,"
        "\"accepts\":%" PRId64 ",\"errors\":%" PRId64 ",\"retries\":%" PRId64
        ",\"open\":%d,\"fds\":%d,\"throttled\":%s}\n",
        serverReportKindName(report.kind), report.pid, static_cast<unsigned>(report.port),
        report.operation.substr(0, 32).c_str(), errnoNameOf(report.errnum), report.errnum,
        report.accepts, report.acceptErrors, report.spinRetries, report.openConnections,
        report.openDescriptors, report.throttled ? "true" : "false");
    if (length <= 0 || static_cast<std::size_t>(length) >= sizeof line)
        return {};
    return std::string(line, static_cast<std::size_t>(length));
}

std::optional<ServerReport> decodeServerReport(const QByteArray &line)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const QString event = object.value(QLatin1String("event")).toString();
    std::optional<ServerReport::Kind> kind;
    for (const auto &[candidate, name] : kKinds) {
        if (event == QLatin1String(name))
            kind = candidate;
    }
    if (!kind)
        return std::nullopt;
    ServerReport report;
    report.kind = *kind;
    const auto number = [&object](const char *key) {
        return object.value(QLatin1String(key)).toInteger();
    };
    report.pid = static_cast<int>(number("pid"));
    report.port = static_cast<std::uint16_t>(number("port"));
    report.operation = object.value(QLatin1String("op")).toString().toStdString();
    report.errnum = static_cast<int>(number("errnum"));
    report.accepts = number("accepts");
    report.acceptErrors = number("errors");
    report.spinRetries = number("retries");
    report.openConnections = static_cast<int>(number("open"));
    report.openDescriptors = static_cast<int>(number("fds"));
    report.throttled = object.value(QLatin1String("throttled")).toBool();
    return report;
}

} // namespace sockscope

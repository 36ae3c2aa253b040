// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/result.h"

#include <cstdint>
#include <QHostAddress>
#include <QString>

namespace sockscope::cli {

struct ListenAddress
{
    QHostAddress address;
    std::uint16_t port = 0;
    // "127.0.0.1:10150", "[::1]:10150"
    QString text() const;
};

// ADDR:PORT with a numeric address (IPv6 in brackets) and a port from 0
// (the kernel picks) to 65535; the Error names the value and the form.
Result<ListenAddress> parseListenAddress(const QString &text);

} // namespace sockscope::cli

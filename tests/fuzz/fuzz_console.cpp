// SPDX-License-Identifier: GPL-3.0-or-later
// The lab console's parser (and the listen / connect / server spec parsers it
// calls) on arbitrary text: one command per line, as the console reads them.
#include "console/commandparser.h"
#include "fuzzcheck.h"

#include <cstddef>
#include <cstdint>
#include <QString>

using namespace sockscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const auto parsed = parseConsoleLine(line);
        // A refusal must say why: an empty message would leave a user guessing.
        fuzzCheck(parsed || !parsed.error().message.isEmpty(), "a refusal without a message");
    }
    return 0;
}

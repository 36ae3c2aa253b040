// SPDX-License-Identifier: GPL-3.0-or-later
// What comes back over ssh: each line through the agent protocol's reader
// (core/format/batchjson.h), and the whole input through the ss fallback's
// parser (core/remote/ssoutput.h). Neither may crash; a line the reader
// accepts must survive being written and read again unchanged.
#include "format/batchjson.h"
#include "fuzzcheck.h"
#include "remote/ssoutput.h"

#include <cstddef>
#include <cstdint>
#include <QByteArray>

using namespace sockscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    int number = 0;
    for (const QByteArray &line : input.split('\n')) {
        const auto parsed = parseAgentLine(line, ++number);
        if (!parsed) {
            fuzzCheck(parsed.error().message.startsWith(QStringLiteral("line %1 ").arg(number)),
                      QStringLiteral("an error that does not name its line: ") +
                          parsed.error().message);
            continue;
        }
        const QByteArray again =
            parsed->batch ? batchToJsonLine(*parsed->batch) : helloToJsonLine(*parsed->hello);
        const auto reread = parseAgentLine(again.chopped(1), number);
        const QByteArray third = !reread         ? QByteArray()
                                 : reread->batch ? batchToJsonLine(*reread->batch)
                                 : reread->hello ? helloToJsonLine(*reread->hello)
                                                 : QByteArray();
        fuzzCheck(third == again, QStringLiteral("a line changed on its way back: ") +
                                      QString::fromUtf8(again.left(200)));
    }
    const SsParse ss = parseSsOutput(input);
    fuzzCheck(ss.sockets.size() <= static_cast<std::size_t>(input.count('\n') + 1),
              QStringLiteral("more sockets than lines"));
    return 0;
}

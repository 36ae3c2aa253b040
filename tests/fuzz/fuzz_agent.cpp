// SPDX-License-Identifier: GPL-3.0-or-later
// What comes back over ssh: each line through the agent protocol's reader
// (core/format/batchjson.h, and console/labjson.h for the remote lab's
// lines, both ways), and the whole input through the ss fallback's parser
// (core/remote/ssoutput.h). None may crash; a line a reader accepts must
// survive being written and read again unchanged.
#include "console/labjson.h"
#include "format/batchjson.h"
#include "fuzzcheck.h"
#include "remote/ssoutput.h"

#include <cstddef>
#include <cstdint>
#include <QByteArray>

using namespace sockscope;

namespace {
QByteArray labLineOf(const LabLine &lab)
{
    return lab.event ? labEventLine(*lab.event)
                     : labAnswerLine(lab.request.value_or(0), lab.answer);
}

void checkLabLine(const QByteArray &line, int number)
{
    const auto parsed = parseLabLine(line, number);
    if (!parsed) {
        fuzzCheck(parsed.error().message.startsWith(QStringLiteral("line %1 ").arg(number)),
                  QStringLiteral("a lab error that does not name its line: ") +
                      parsed.error().message);
        return;
    }
    const QByteArray again = labLineOf(*parsed);
    const auto reread = parseLabLine(again.chopped(1), number);
    fuzzCheck(reread && labLineOf(*reread) == again,
              QStringLiteral("a lab line changed on its way back: ") +
                  QString::fromUtf8(again.left(200)));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    int number = 0;
    for (const QByteArray &line : input.split('\n')) {
        ++number;
        if (const auto request = parseLabRequest(line)) {
            const QByteArray again = labRequestLine(*request);
            const auto reread = parseLabRequest(again.chopped(1));
            fuzzCheck(reread && labRequestLine(*reread) == again,
                      QStringLiteral("a lab request changed on its way back: ") +
                          QString::fromUtf8(again.left(200)));
        }
        if (isLabLine(line)) {
            checkLabLine(line, number);
            continue;
        }
        const auto parsed = parseAgentLine(line, number);
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

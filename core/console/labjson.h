// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consoleanswer.h"
#include "lab/labtypes.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace sockscope {

// The remote lab's lines of the agent protocol (format/batchjson.h has the
// rest): a window sends `{"lab_request":N,"line":"listen 127.0.0.1:9000"}` on
// the agent's standard input, one console line each (docs/lab-console.md);
// the agent answers `{"lab_answer":{"request":N,...}}` among its batches, and writes
// `{"lab_event":{...}}` for what its lab did on its own (accepts, failures).
// This file is their one home, written and read both ways.

struct LabRequest
{
    std::uint64_t request = 0;
    QString line;
};

QByteArray labRequestLine(const LabRequest &request);
// What a window sent; an Error says what is wrong with it (not JSON, no line).
Result<LabRequest> parseLabRequest(QByteArrayView line);

QByteArray labAnswerLine(std::uint64_t request, const ConsoleAnswer &answer);
QByteArray labEventLine(const LabEvent &event);

// A lab line as read: an answer to a request, or an event.
struct LabLine
{
    std::optional<std::uint64_t> request;
    ConsoleAnswer answer;
    std::optional<LabEvent> event;
};

// Whether an agent's output line is one of these (read with parseLabLine)
// rather than a batch.
bool isLabLine(QByteArrayView line);
// Reads line number `lineNumber` of an agent's output; an Error names the
// line and its first missing or bad field.
Result<LabLine> parseLabLine(QByteArrayView line, int lineNumber);

} // namespace sockscope

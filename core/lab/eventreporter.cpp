// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/eventreporter.h"

#include "util/monotonic.h"

#include <utility>

namespace sockscope {

EventReporter::EventReporter(QString objectId, LabEventSink sink)
    : m_objectId(std::move(objectId)), m_sink(std::move(sink))
{
}

void EventReporter::note(const QString &text) const
{
    if (m_sink)
        m_sink(LabEvent{monotonicMs(), m_objectId, text, std::nullopt});
}

Error EventReporter::fail(const QString &what, int errnum, const FailureContext &context) const
{
    return fail(what, explainFailure(errnum, context));
}

Error EventReporter::fail(const QString &what, const Explanation &explanation) const
{
    if (m_sink)
        m_sink(LabEvent{monotonicMs(), m_objectId, what + QStringLiteral(" failed"), explanation});
    return Error{explanation.errnum, explanation.text()};
}

FailureContext failureContext(FailureContext::Operation operation, Family family,
                              const Endpoint &local, bool reuseAddr, bool reusePort)
{
    FailureContext context;
    context.operation = operation;
    context.family = family;
    context.local = local;
    context.reuseAddr = reuseAddr;
    context.reusePort = reusePort;
    return context;
}

Explanation plainExplanation(int errnum, const QString &summary)
{
    Explanation explanation;
    explanation.errnum = errnum;
    explanation.errnoName = Error{errnum, {}}.errnoName();
    explanation.summary = summary;
    return explanation;
}

} // namespace sockscope

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "explain/explainer.h"
#include "lab/labtypes.h"
#include "util/result.h"

#include <functional>
#include <QString>

namespace sockscope {

using LabEventSink = std::function<void(const LabEvent &)>;

// Turns what one lab object did into LabEvents stamped with monotonicMs(), and
// failures into an explained Error plus the event carrying the Explanation,
// so every failure is reported the same way. Used in the lab's thread only.
class EventReporter
{
public:
    EventReporter(QString objectId, LabEventSink sink);

    const QString &objectId() const { return m_objectId; }
    void setObjectId(const QString &objectId) { m_objectId = objectId; }

    void note(const QString &text) const;
    // Explains errnum in this context (a fresh dump names the culprits), emits
    // "<what> failed" with the Explanation, and returns Error{errnum, text()}.
    Error fail(const QString &what, int errnum, const FailureContext &context) const;
    // The same with an Explanation built by the caller (or cached for a batch).
    Error fail(const QString &what, const Explanation &explanation) const;

private:
    QString m_objectId;
    LabEventSink m_sink;
};

// A FailureContext with every field named, for the calls that know no remote.
FailureContext failureContext(FailureContext::Operation operation, Family family,
                              const Endpoint &local, bool reuseAddr = false,
                              bool reusePort = false);

// An Explanation for failures no socket explains (bad ids, bad counts): the
// errno's name and the sentence, without a dump.
Explanation plainExplanation(int errnum, const QString &summary);

} // namespace sockscope

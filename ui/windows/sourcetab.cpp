// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/sourcetab.h"

#include "itemmodels/eventlogmodel.h"
#include "itemmodels/historymodel.h"
#include "itemmodels/portsummarymodel.h"
#include "itemmodels/sockettablemodel.h"
#include "poller/socketsource.h"
#include "util/freedmemory.h"
#include "util/monotonic.h"

#include <QTimer>
#include <utility>

namespace sockscope {

namespace {
constexpr int kEventLogRows = 20000;
}

SourceTab::SourceTab(SocketSource *source, const QString &key, const QString &label,
                     QObject *parent)
    : QObject(parent), m_source(source), m_key(key), m_label(label),
      m_model(new SocketTableModel(this)), m_ports(new PortSummaryModel(this)),
      m_events(new EventLogModel(kEventLogRows, this)),
      m_historyModel(new HistoryModel(&m_history, this))
{
    m_source->setParent(this);
    connect(m_source, &SocketSource::batchReady, this, &SourceTab::apply);
    // Said once and kept until a poll succeeds again (the poller does not repeat it).
    connect(m_source, &SocketSource::pollFailed, this, [this](const QString &message) {
        m_failure = message;
        Q_EMIT failureChanged();
    });
    connect(m_source, &SocketSource::pollRecovered, this, [this] {
        m_failure.clear();
        Q_EMIT failureChanged();
    });
}

SourceTab::~SourceTab()
{
    // The window's end: waiting for the source's thread is fine there (and
    // nothing would be left to run a later deletion).
    if (m_source)
        m_source->stop();
}

void SourceTab::disposeSource()
{
    if (!m_source)
        return;
    m_source->setParent(nullptr);
    std::exchange(m_source, nullptr)->dispose();
}

void SourceTab::rename(const QString &key, const QString &label)
{
    m_key = key;
    m_label = label;
}

void SourceTab::tick(std::int64_t nowMs)
{
    m_model->tick(nowMs);
    m_history.prune(nowMs);
    m_historyModel->refresh();
}

void SourceTab::apply(const PollBatch &batch)
{
    m_model->applyBatch(batch);
    m_ports->applyBatch(batch);
    m_events->applyBatch(batch);
    m_history.apply(batch.events, batch.updated);
    m_history.prune(monotonicMs());
    m_historyModel->refresh();
    m_lastStats = batch.stats;
    if (batch.stats.totalUs > 0)
        m_lastDumpStats = batch.stats;
    Q_EMIT batchApplied(batch);
    // Once the queued batch itself is freed.
    if (batch.events.size() + batch.updated.size() >= kBigBatchItems)
        QTimer::singleShot(0, this, [] { returnFreedMemory(); });
}

} // namespace sockscope

// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/tracesource.h"

#include "util/monotonic.h"

#include <algorithm>
#include <cerrno>
#include <limits>

#if SOCKSCOPE_HAVE_TRACE
#include "tcptrace.skel.h"
#include "trace/libbpflog.h"
#include "trace/tracepermissions.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/socket.h>
#endif

namespace sockscope {

#if SOCKSCOPE_HAVE_TRACE

namespace {
Error libbpfError(int result, const QString &what, const LibbpfLog &log)
{
    const int errnum = result < 0 ? -result : (errno ? errno : EINVAL);
    Error error = Error::fromErrno(errnum, what);
    const QString details = log.summary();
    if (!details.isEmpty())
        error.message += QStringLiteral(" (%1)").arg(details);
    return error;
}

} // namespace

Result<std::unique_ptr<TraceSource>> TraceSource::open(const TraceOptions &options)
{
    if (Status allowed = checkTracePermissions(); !allowed)
        return allowed.error();
    if (Status btf = checkKernelBtf(); !btf)
        return btf.error();

    LibbpfLog log;
    std::unique_ptr<TraceSource> source(new TraceSource);
    source->m_windowNs = std::max<std::int64_t>(0, options.reorderWindowNs);
    // The timewait probe (fentry/fexit on a kernel function, not a stable
    // interface) is optional: when the kernel refuses to load or attach it,
    // the program is loaded again without it.
    bool withTimewait = options.timewaitProbe;
    for (;;) {
        source->m_skeleton = tcptrace::open();
        if (!source->m_skeleton)
            return libbpfError(-errno, QStringLiteral("opening the TCP trace program"), log);
        tcptrace *skeleton = source->m_skeleton;
        if (options.family)
            skeleton->rodata->filter_family = *options.family == Family::IPv4 ? AF_INET : AF_INET6;
        if (options.port)
            skeleton->rodata->filter_port = *options.port;
        if (options.networkNamespace)
            skeleton->rodata->filter_netns = *options.networkNamespace;
        skeleton->rodata->wakeup_bytes = options.wakeupBytes;
        for (bpf_program *program :
             {skeleton->progs.timewait_enter, skeleton->progs.timewait_exit}) {
            bpf_program__set_autoload(program, withTimewait);
            bpf_program__set_autoattach(program, false);
        }
        int result = tcptrace::load(skeleton);
        if (result == 0 && withTimewait) {
            // Exit first: an exit without its entry finds nothing and reports
            // nothing, while an entry without its exit would be half a probe.
            // Both links belong to the skeleton, which destroys them.
            skeleton->links.timewait_exit = bpf_program__attach(skeleton->progs.timewait_exit);
            if (skeleton->links.timewait_exit)
                skeleton->links.timewait_enter =
                    bpf_program__attach(skeleton->progs.timewait_enter);
            if (!skeleton->links.timewait_enter)
                result = errno ? -errno : -EINVAL;
        }
        if (result != 0 && withTimewait) {
            source->m_timewaitFailure =
                libbpfError(result, QStringLiteral("probing tcp_timewait_state_process"), log)
                    .message;
            tcptrace::destroy(skeleton);
            source->m_skeleton = nullptr;
            withTimewait = false;
            continue;
        }
        if (result != 0)
            return libbpfError(
                result, QStringLiteral("loading the TCP trace program into the kernel"), log);
        break;
    }
    source->m_seesTimewaitFin = withTimewait;
    if (int result = tcptrace::attach(source->m_skeleton); result != 0)
        return libbpfError(result,
                           QStringLiteral("attaching to the TCP tracepoints "
                                          "(sock:inet_sock_set_state, tcp:tcp_send_reset, "
                                          "tcp:tcp_receive_reset)"),
                           log);
    source->m_ring = ring_buffer__new(bpf_map__fd(source->m_skeleton->maps.events), onRecord,
                                      source.get(), nullptr);
    if (!source->m_ring)
        return libbpfError(-errno, QStringLiteral("opening the trace ring buffer"), log);
    return source;
}

TraceSource::~TraceSource()
{
    ring_buffer__free(m_ring);
    tcptrace::destroy(m_skeleton);
}

int TraceSource::fd() const
{
    return ring_buffer__epoll_fd(m_ring);
}

bool TraceSource::seesTimewaitFin() const
{
    return m_seesTimewaitFin;
}

QString TraceSource::timewaitProbeFailure() const
{
    return m_timewaitFailure;
}

QString TraceSource::missedNotice() const
{
    if (m_seesTimewaitFin || m_timewaitFailure.isEmpty())
        return {};
    // Where every fentry program is refused (EPERM before verification, as
    // on this 6.18 kernel for tcp_close too) nothing a flag of ours changes.
    return QStringLiteral("Traced except one move: an orphaned socket's FIN_WAIT2 -> TIME_WAIT "
                          "when its peer's FIN comes after the ACK shows at the next dump, not "
                          "as it happens, because the kernel refused the probe it needs (%1).")
        .arg(m_timewaitFailure);
}

int TraceSource::onRecord(void *context, void *data, std::size_t size)
{
    auto *source = static_cast<TraceSource *>(context);
    Result<TraceEvent> event =
        decodeTraceRecord(std::span(static_cast<const std::byte *>(data), size));
    if (!event) {
        source->m_malformed = event.error();
        // Any negative value stops ring_buffer__consume after this record.
        return -EBADMSG;
    }
    source->m_held.push_back(std::move(*event));
    return 0;
}

Result<int> TraceSource::drain(const std::function<void(const TraceEvent &)> &sink)
{
    m_malformed.reset();
    LibbpfLog log;
    const int count = ring_buffer__consume(m_ring);
    if (m_malformed)
        return *m_malformed;
    if (count < 0)
        return libbpfError(count, QStringLiteral("reading the trace ring buffer"), log);
    return handOut(sink, monotonicNs() - m_windowNs);
}

int TraceSource::flush(const std::function<void(const TraceEvent &)> &sink)
{
    return handOut(sink, std::numeric_limits<std::int64_t>::max());
}

int TraceSource::msUntilDue() const
{
    if (m_held.empty())
        return -1;
    const auto oldest = std::min_element(
        m_held.begin(), m_held.end(),
        [](const TraceEvent &a, const TraceEvent &b) { return a.timeNs < b.timeNs; });
    const std::int64_t leftNs = oldest->timeNs + m_windowNs - monotonicNs();
    return leftNs <= 0 ? 0 : int((leftNs + 999'999) / 1'000'000);
}

TraceLosses TraceSource::losses() const
{
    TraceLosses losses;
    const int cpus = libbpf_num_possible_cpus();
    std::vector<std::uint64_t> perCpu(static_cast<std::size_t>(std::max(cpus, 0)));
    const std::uint32_t key = 0;
    if (cpus > 0 && bpf_map__lookup_elem(m_skeleton->maps.drops, &key, sizeof key, perCpu.data(),
                                         perCpu.size() * sizeof(std::uint64_t), 0) == 0) {
        for (std::uint64_t count : perCpu)
            losses.bufferFull += count;
    }
    bpf_program *program = nullptr;
    bpf_object__for_each_program(program, m_skeleton->obj)
    {
        const int fd = bpf_program__fd(program);
        bpf_prog_info info{};
        std::uint32_t length = sizeof info;
        if (fd >= 0 && bpf_obj_get_info_by_fd(fd, &info, &length) == 0)
            losses.skipped += info.recursion_misses;
    }
    return losses;
}

#else

Result<int> TraceSource::drain(const std::function<void(const TraceEvent &)> &)
{
    return Error{EOPNOTSUPP, QStringLiteral("built without libbpf")};
}

int TraceSource::flush(const std::function<void(const TraceEvent &)> &)
{
    return 0;
}

int TraceSource::msUntilDue() const
{
    return -1;
}

int TraceSource::onRecord(void *, void *, std::size_t)
{
    return 0;
}

Result<std::unique_ptr<TraceSource>> TraceSource::open(const TraceOptions &)
{
    return Error{EOPNOTSUPP, QStringLiteral("SockScope was built without libbpf, so it cannot "
                                            "trace TCP transitions; install libbpf-dev bpftool "
                                            "clang and rebuild")};
}

TraceSource::~TraceSource() = default;

int TraceSource::fd() const
{
    return -1;
}

bool TraceSource::seesTimewaitFin() const
{
    return false;
}

QString TraceSource::timewaitProbeFailure() const
{
    return QStringLiteral("built without libbpf");
}

QString TraceSource::missedNotice() const
{
    return {};
}

TraceLosses TraceSource::losses() const
{
    return {};
}

#endif

int TraceSource::handOut(const std::function<void(const TraceEvent &)> &sink, std::int64_t cutoffNs)
{
    // Stable: one socket's events are already in order (its lock serializes
    // them), including any with equal times. Without a window, as read.
    if (m_windowNs > 0)
        std::stable_sort(
            m_held.begin(), m_held.end(),
            [](const TraceEvent &a, const TraceEvent &b) { return a.timeNs < b.timeNs; });
    const auto due = std::find_if(m_held.begin(), m_held.end(),
                                  [cutoffNs](const TraceEvent &e) { return e.timeNs > cutoffNs; });
    const int count = int(due - m_held.begin());
    for (auto it = m_held.begin(); it != due; ++it)
        sink(*it);
    m_held.erase(m_held.begin(), due);
    return count;
}

} // namespace sockscope

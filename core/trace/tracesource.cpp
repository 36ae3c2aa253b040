// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/tracesource.h"

#include <cerrno>

#if SOCKSCOPE_HAVE_TRACE
#include "tcptrace.skel.h"
#include "trace/libbpflog.h"
#include "trace/tracepermissions.h"

#include <bpf/libbpf.h>
#include <sys/socket.h>
#include <vector>
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
    source->m_skeleton = tcptrace::open();
    if (!source->m_skeleton)
        return libbpfError(-errno, QStringLiteral("opening the TCP trace program"), log);
    if (options.family)
        source->m_skeleton->rodata->filter_family =
            *options.family == Family::IPv4 ? AF_INET : AF_INET6;
    if (options.port)
        source->m_skeleton->rodata->filter_port = *options.port;
    if (options.networkNamespace)
        source->m_skeleton->rodata->filter_netns = *options.networkNamespace;
    if (int result = tcptrace::load(source->m_skeleton); result != 0)
        return libbpfError(result, QStringLiteral("loading the TCP trace program into the kernel"),
                           log);
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
    (*source->m_sink)(*event);
    return 0;
}

Result<int> TraceSource::drain(const std::function<void(const TraceEvent &)> &sink)
{
    m_sink = &sink;
    m_malformed.reset();
    LibbpfLog log;
    const int count = ring_buffer__consume(m_ring);
    m_sink = nullptr;
    if (m_malformed)
        return *m_malformed;
    if (count < 0)
        return libbpfError(count, QStringLiteral("reading the trace ring buffer"), log);
    return count;
}

std::uint64_t TraceSource::drops() const
{
    const int cpus = libbpf_num_possible_cpus();
    if (cpus <= 0)
        return 0;
    std::vector<std::uint64_t> perCpu(static_cast<std::size_t>(cpus));
    const std::uint32_t key = 0;
    if (bpf_map__lookup_elem(m_skeleton->maps.drops, &key, sizeof key, perCpu.data(),
                             perCpu.size() * sizeof(std::uint64_t), 0) != 0)
        return 0;
    std::uint64_t total = 0;
    for (std::uint64_t count : perCpu)
        total += count;
    return total;
}

#else

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

Result<int> TraceSource::drain(const std::function<void(const TraceEvent &)> &)
{
    return Error{EOPNOTSUPP, QStringLiteral("built without libbpf")};
}

std::uint64_t TraceSource::drops() const
{
    return 0;
}

#endif

} // namespace sockscope

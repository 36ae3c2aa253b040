// SPDX-License-Identifier: GPL-2.0-or-later
// TCP state transitions and resets into one ring buffer. GPL-2.0-or-later
// rather than the project's GPL-3.0-or-later: the kernel only lends its
// GPL-only helpers (socket cookie, BTF tracepoints) to GPLv2-compatible code,
// and "or later" keeps the embedded object compatible with the application.
// The kernel's types must come before anything using them.
// clang-format off
#include "vmlinux.h"
#include "tracerecord.h"
// clang-format on

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define SS_AF_INET 2
#define SS_AF_INET6 10
#define SS_IPPROTO_TCP 6
#define SS_ETH_P_IP 0x0800

// Load-time settings, fixed before the program is verified.
const volatile __u16 filter_family = 0; // 0: both
const volatile __u16 filter_port = 0;   // 0: any; else the local or the remote port
const volatile __u32 filter_netns = 0;  // 0: any; else the network namespace's inode
// 0: the ring buffer's own policy, a wakeup for the first record after the
// reader caught up. Else also once this many bytes wait, so a reader that
// drains on a timer while busy is not left behind by a burst.
const volatile __u32 wakeup_bytes = 0;

struct
{
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4 * 1024 * 1024);
} events SEC(".maps");

// Reserve failures: per CPU so counting never contends, summed by user space.
struct
{
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} drops SEC(".maps");

// Whose transition is it? `current` is not the answer on its own: loopback
// receive work runs as a softirq on whatever task sent the packet (the peer),
// and timers interrupt any task. The socket lock is: a task that lock_sock()ed
// the socket is running a syscall on it, and while it holds it softirqs and
// timers only queue work that this same task runs at release_sock(). So a
// transition names a task exactly when the socket is owned by a user.
// (Reading the CPU's preempt count instead needs the per-CPU __preempt_count
// or pcpu_hot ksym, which the verifier resolves through kallsyms: refused
// without CONFIG_KALLSYMS_ALL, as on the kernel this was written on. And even
// in process context, the task is not necessarily this socket's.) Request and
// timewait sockets have no lock and no owner. The cost of being sure: a task
// that changes a socket it has not locked (a closing listener aborting its
// unaccepted children) is not named.
static __always_inline bool owned_by_task(const struct sock *sk, __u8 state)
{
    if (state == TCP_TIME_WAIT || state == TCP_NEW_SYN_RECV)
        return false;
    return BPF_CORE_READ(sk, sk_lock.owned) != 0;
}

static __always_inline void fill_task(struct sockscope_trace_record *record, const struct sock *sk,
                                      __u8 state)
{
    if (!owned_by_task(sk, state))
        return;
    record->pid = bpf_get_current_pid_tgid() >> 32;
    bpf_get_current_comm(record->comm, sizeof record->comm);
}

static __always_inline bool passes_filter(__u16 family, __u16 local_port, __u16 remote_port)
{
    if (filter_family && family != filter_family)
        return false;
    if (filter_port && local_port != filter_port && remote_port != filter_port)
        return false;
    return true;
}

// Ports repeat across namespaces, so a port filter alone would mix them.
static __always_inline bool in_namespace(const struct sock *sk)
{
    if (!filter_netns)
        return true;
    return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum) == filter_netns;
}

static __always_inline void count_drop(void)
{
    __u32 zero = 0;
    __u64 *count = bpf_map_lookup_elem(&drops, &zero);
    if (count)
        *count += 1;
}

static __always_inline struct sockscope_trace_record *reserve(void)
{
    struct sockscope_trace_record *record = bpf_ringbuf_reserve(&events, sizeof *record, 0);
    if (!record) {
        count_drop();
        return 0;
    }
    __builtin_memset(record, 0, sizeof *record);
    return record;
}

// A full socket's inet_sport survives tcp_set_state(TCP_CLOSE), which releases
// the bound port (skc_num = 0) before the tracepoint fires; request and
// timewait sockets end with sock_common, so only skc_num is theirs.
static __always_inline __u16 local_port_of(const struct sock *sk, __u8 state)
{
    if (state == TCP_TIME_WAIT || state == TCP_NEW_SYN_RECV)
        return BPF_CORE_READ(sk, __sk_common.skc_num);
    return bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
}

// Reads the socket's addresses; works for full, request and timewait sockets
// because all of them start with sock_common.
static __always_inline void fill_addresses(struct sockscope_trace_record *record,
                                           const struct sock *sk, __u16 family, __u8 state)
{
    record->family = family;
    record->local_port = local_port_of(sk, state);
    record->remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
    // Typed destinations: BPF_CORE_READ_INTO copies sizeof(*dst) bytes.
    if (family == SS_AF_INET) {
        BPF_CORE_READ_INTO((__be32 *)record->local_addr, sk, __sk_common.skc_rcv_saddr);
        BPF_CORE_READ_INTO((__be32 *)record->remote_addr, sk, __sk_common.skc_daddr);
    } else {
        BPF_CORE_READ_INTO((struct in6_addr *)record->local_addr, sk, __sk_common.skc_v6_rcv_saddr);
        BPF_CORE_READ_INTO((struct in6_addr *)record->remote_addr, sk, __sk_common.skc_v6_daddr);
    }
}

// The clock is read after the reservation: the ring buffer serializes
// reservations, so reading it there keeps delivery order and time order close.
static __always_inline void submit(struct sockscope_trace_record *record)
{
    record->time_ns = bpf_ktime_get_ns();
    __u64 flags = 0;
    if (wakeup_bytes && bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
        flags = BPF_RB_FORCE_WAKEUP;
    bpf_ringbuf_submit(record, flags);
}

// A reset is no transition: it carries the socket's current state as both.
#define CURRENT_STATE -1

// Had the socket received the peer's FIN? tcp_fin() sets SOCK_DONE in
// sk_flags (and nothing else in TCP does; a disconnect clears it). Not
// sk_shutdown's RCV_SHUTDOWN: close() sets that itself (__tcp_close() shuts
// down both directions), so every orphaned socket would look as if the peer's
// FIN had come. A timewait socket has no sk_flags of its own to trust; its
// substate says it. A request socket cannot have received a FIN.
static __always_inline __u8 fin_flag(const struct sock *sk, __u8 state)
{
    if (state == TCP_NEW_SYN_RECV)
        return 0;
    if (state == TCP_TIME_WAIT)
        return BPF_CORE_READ((const struct inet_timewait_sock *)sk, tw_substate) == TCP_TIME_WAIT
                   ? SOCKSCOPE_TRACE_FIN_RECEIVED
                   : 0;
    const unsigned long flags = BPF_CORE_READ(sk, __sk_common.skc_flags);
    return (flags >> bpf_core_enum_value(enum sock_flags, SOCK_DONE)) & 1
               ? SOCKSCOPE_TRACE_FIN_RECEIVED
               : 0;
}

static __always_inline int emit(const struct sock *sk, __u8 kind, int old_state, int new_state)
{
    // For a transition the socket still holds old_state; request and timewait
    // sockets only reach the reset tracepoints.
    const __u8 state = BPF_CORE_READ(sk, __sk_common.skc_state);
    const __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
    const __u16 local_port = local_port_of(sk, state);
    const __u16 remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
    if (!passes_filter(family, local_port, remote_port) || !in_namespace(sk))
        return 0;

    struct sockscope_trace_record *record = reserve();
    if (!record)
        return 0;
    record->kind = kind;
    record->old_state = old_state == CURRENT_STATE ? state : old_state;
    record->new_state = new_state == CURRENT_STATE ? state : new_state;
    record->flags = fin_flag(sk, state);
    fill_addresses(record, sk, family, state);
    record->cookie = bpf_get_socket_cookie((void *)sk);
    fill_task(record, sk, state);
    submit(record);
    return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(handle_set_state, const struct sock *sk, const int old_state, const int new_state)
{
    if (BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != SS_IPPROTO_TCP)
        return 0;
    return emit(sk, SOCKSCOPE_TRACE_STATE_CHANGE, old_state, new_state);
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(handle_receive_reset, struct sock *sk)
{
    if (!sk)
        return 0;
    return emit(sk, SOCKSCOPE_TRACE_RECEIVE_RESET, CURRENT_STATE, CURRENT_STATE);
}

// A reset answering a segment no socket wanted (a closed port): the kernel
// passes no socket, so the addresses come from the segment, mirrored.
static __always_inline int reset_without_socket(const struct sk_buff *skb)
{
    if (!skb)
        return 0;
    if (filter_netns) {
        const struct net_device *device = BPF_CORE_READ(skb, dev);
        if (!device || BPF_CORE_READ(device, nd_net.net, ns.inum) != filter_netns)
            return 0;
    }
    unsigned char *head = BPF_CORE_READ(skb, head);
    const __u16 network = BPF_CORE_READ(skb, network_header);
    const __u16 transport = BPF_CORE_READ(skb, transport_header);
    const __u16 protocol = bpf_ntohs(BPF_CORE_READ(skb, protocol));
    struct tcphdr tcp;
    if (bpf_probe_read_kernel(&tcp, sizeof tcp, head + transport))
        return 0;
    const __u16 family = protocol == SS_ETH_P_IP ? SS_AF_INET : SS_AF_INET6;
    const __u16 local_port = bpf_ntohs(tcp.dest);
    const __u16 remote_port = bpf_ntohs(tcp.source);
    if (!passes_filter(family, local_port, remote_port))
        return 0;

    struct sockscope_trace_record *record = reserve();
    if (!record)
        return 0;
    record->kind = SOCKSCOPE_TRACE_SEND_RESET;
    record->old_state = TCP_CLOSE;
    record->new_state = TCP_CLOSE;
    record->family = family;
    record->local_port = local_port;
    record->remote_port = remote_port;
    if (family == SS_AF_INET) {
        struct iphdr ip;
        if (!bpf_probe_read_kernel(&ip, sizeof ip, head + network)) {
            __builtin_memcpy(record->local_addr, &ip.daddr, 4);
            __builtin_memcpy(record->remote_addr, &ip.saddr, 4);
        }
    } else {
        struct ipv6hdr ip6;
        if (!bpf_probe_read_kernel(&ip6, sizeof ip6, head + network)) {
            __builtin_memcpy(record->local_addr, &ip6.daddr, 16);
            __builtin_memcpy(record->remote_addr, &ip6.saddr, 16);
        }
    }
    submit(record);
    return 0;
}

// The kernel fires this after the segment left: on loopback the peer's
// receive-reset is usually delivered first.
SEC("tp_btf/tcp_send_reset")
int BPF_PROG(handle_send_reset, const struct sock *sk, const struct sk_buff *skb)
{
    if (!sk)
        return reset_without_socket(skb);
    return emit(sk, SOCKSCOPE_TRACE_SEND_RESET, CURRENT_STATE, CURRENT_STATE);
}

// A timewait socket changes substate without a tracepoint: an orphaned socket
// whose FIN was acknowledged before the peer's FIN came becomes a timewait
// socket in substate FIN_WAIT2 (tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)), and
// tcp_timewait_state_process() moves it to TIME_WAIT when that FIN arrives.
// fentry keeps the socket and its substate per CPU (the function runs with
// bottom halves off, so nothing else enters it on this CPU before fexit), and
// fexit compares. Both take the raw context and read only the first argument,
// the timewait socket: the argument list grew over the kernel releases (5 on
// 6.18: tw, skb, th, tw_isn, drop_reason). Optional: user space loads the
// program without these two when the kernel refuses them.
struct timewait_entry
{
    __u64 tw;
    __u8 substate;
};

struct
{
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct timewait_entry);
} timewait_entries SEC(".maps");

SEC("fentry/tcp_timewait_state_process")
int timewait_enter(unsigned long long *ctx)
{
    const struct inet_timewait_sock *tw = (const struct inet_timewait_sock *)ctx[0];
    __u32 zero = 0;
    struct timewait_entry *entry = bpf_map_lookup_elem(&timewait_entries, &zero);
    if (!entry)
        return 0;
    entry->tw = (__u64)tw;
    entry->substate = BPF_CORE_READ(tw, tw_substate);
    return 0;
}

// Only the FIN_WAIT2 -> TIME_WAIT path is reported; on it the caller still
// holds its reference, so the socket is alive here (other paths may have
// released it, which is why the old substate is read at entry).
SEC("fexit/tcp_timewait_state_process")
int timewait_exit(unsigned long long *ctx)
{
    const struct inet_timewait_sock *tw = (const struct inet_timewait_sock *)ctx[0];
    __u32 zero = 0;
    struct timewait_entry *entry = bpf_map_lookup_elem(&timewait_entries, &zero);
    if (!entry || entry->tw != (__u64)tw)
        return 0;
    const __u8 before = entry->substate;
    entry->tw = 0;
    if (before != TCP_FIN_WAIT2 || BPF_CORE_READ(tw, tw_substate) != TCP_TIME_WAIT)
        return 0;
    return emit((const struct sock *)tw, SOCKSCOPE_TRACE_STATE_CHANGE, TCP_FIN_WAIT2,
                TCP_TIME_WAIT);
}

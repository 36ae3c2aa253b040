/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record tcptrace.bpf.c writes into its ring buffer and traceevent.cpp
 * decodes: plain C, so the BPF program (built against vmlinux.h) and C++ agree
 * on one layout. Every field is naturally aligned and the size is a multiple of
 * 8, so no compiler inserts padding anywhere. */
#ifndef SOCKSCOPE_TRACERECORD_H
#define SOCKSCOPE_TRACERECORD_H

#ifndef __bpf__
/* vmlinux.h already defines these types for the BPF side. */
#include <linux/types.h>
#endif

enum sockscope_trace_kind
{
    SOCKSCOPE_TRACE_STATE_CHANGE = 1,
    SOCKSCOPE_TRACE_SEND_RESET = 2,
    SOCKSCOPE_TRACE_RECEIVE_RESET = 3,
};

/* Bits of sockscope_trace_record.flags. */
enum sockscope_trace_flag
{
    /* The socket had received the peer's FIN (SOCK_DONE, set by tcp_fin())
     * when the event fired; for a timewait socket, its substate was TIME_WAIT. */
    SOCKSCOPE_TRACE_FIN_RECEIVED = 1,
};

#define SOCKSCOPE_TRACE_COMM_LEN 16

struct sockscope_trace_record
{
    __u64 time_ns;       /* bpf_ktime_get_ns: CLOCK_MONOTONIC */
    __u64 cookie;        /* 0 when the kernel had no socket (a reset to a closed port) */
    __u8 local_addr[16]; /* network order; IPv4 in the first 4 bytes */
    __u8 remote_addr[16];
    __u32 pid;         /* thread group id; 0 when the transition ran outside process context */
    __u16 local_port;  /* host order */
    __u16 remote_port; /* host order */
    __u16 family;      /* AF_INET or AF_INET6 */
    __u8 kind;         /* enum sockscope_trace_kind */
    __u8 old_state;    /* kernel TCP_* values; a reset repeats the current state */
    __u8 new_state;
    __u8 flags; /* enum sockscope_trace_flag bits */
    __u8 reserved[2];
    char comm[SOCKSCOPE_TRACE_COMM_LEN]; /* empty when pid is 0 */
};

#define SOCKSCOPE_TRACE_RECORD_SIZE 80

#ifdef __cplusplus
static_assert(sizeof(struct sockscope_trace_record) == SOCKSCOPE_TRACE_RECORD_SIZE);
#else
_Static_assert(sizeof(struct sockscope_trace_record) == SOCKSCOPE_TRACE_RECORD_SIZE,
               "record layout changed");
#endif

#endif

/* Default-mode syscall aggregation, shared between syscall_stats.bpf.h and user space (mirrored by
 * capture's aggregate.StatsLayout, offsets checked by StatsLayoutTest). Kept out of net_trace.h:
 * these are map layouts, not ring records. */
#ifndef TRACEFIX_SYSCALL_STATS_H
#define TRACEFIX_SYSCALL_STATS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Latency histogram: bucket i counts calls of [2^i, 2^(i+1)) ns (bucket 0 also 0 ns); the last
 * bucket counts everything from 2^31 ns (about 2.1 s) up. */
#define SYSCALL_STATS_BUCKETS 32

/* One aggregate: a process (tgid + leader start time), a syscall, its errno (0: success) and, for
 * a call on a socket, its peer (family 0 when none). Addresses stay in the map and in user-space
 * memory only until they are hashed. */
struct syscall_stats_key {
	__u32 tgid;
	__u32 nr;            /* x86_64 syscall number */
	__s32 err;           /* errno of a failed call (positive), 0 for success */
	__u16 family;        /* AF_INET / AF_INET6 of the peer, 0 when the fd is not an inet socket */
	__u16 dport;         /* the peer's port, host order */
	__u64 start_time_ns; /* start_boottime of the thread-group leader */
	__u8 daddr[16];      /* the peer's address, network order (IPv4 in the first 4 bytes) */
};

struct syscall_stats_value {
	__u64 calls;
	__u64 total_ns;
	__u64 bytes;         /* returned by the successful calls of a read/write-style syscall */
	__u64 hist[SYSCALL_STATS_BUCKETS];
};

#endif

/* Default mode: syscalls aggregated in the kernel. Included at the end of net_trace.bpf.c (it
 * uses its filter, accounting, stack and socket helpers).
 *
 * raw_syscalls:sys_enter/sys_exit run a program on every syscall of every task; these programs
 * hang off the syscall-specific tracepoints (syscalls:sys_enter_X / sys_exit_X) of the families an
 * incident needs, so every other syscall of the machine runs no program at all. Each completed
 * call of a traced process is counted into syscall_stats per (process, syscall, errno, peer) with
 * its latency in a log2 histogram; user space drains the map every interval. Only a failed call,
 * or one at least as slow as its family's threshold, becomes a syscall record in the ring. */
#include "syscall_stats.h"

/* Bits of stats_bits, set by the loader before load, by syscall number. */
#define STATS_ARG0_FD 1   /* argument 0 is an fd (kept in a streamed record) */
#define STATS_SOCK_PEER 2 /* the fd may be a socket: aggregate per peer (and own a TCP socket) */
#define STATS_ACCEPTS 16  /* the return value is a new socket's fd (accept, accept4) */
#define STATS_FAMILY 32   /* one of the syscalls the stats programs attach to */
#define STATS_BYTES 64    /* a positive return value is a byte count */
#define STATS_OWNS 128    /* a successful call makes the caller the TCP socket's owner (sends,
			   * connect, accept: receives are owned by tp_btf/sock_recv_length) */

const volatile __u8 stats_bits[NET_TRACE_SYSCALL_MAX] = {};

/* Set by the loader before load, by syscall number: a successful call at least this slow is
 * streamed as a syscall record (0: none is, by latency). Failed calls always are. */
const volatile __u64 slow_call_ns[NET_TRACE_SYSCALL_MAX] = {};

/* Set by the loader before load when the tcp group is attached: the exits make a traced process
 * owner of the TCP sockets it accepts, connects or writes on (what raw_syscalls or the socket
 * group do in full mode), so TCP events stay attributed. */
const volatile bool stats_own_sockets = false;

/* The aggregates. Per-CPU: no atomics, no contention; user space sums the CPUs. Entries are never
 * reset while the probes run (user space keeps the previous totals and stores differences), so a
 * drain can never lose an increment. User space deletes only the entries of processes that had
 * exited before its read (no program can add to them again), after reporting their final totals,
 * so the map holds the processes of the last interval or two. max_entries is the default; the
 * loader sets it from the configuration. A call that finds the map full is counted in
 * stats_overflow instead: calls seen = sum of calls in the map + overflow. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct syscall_stats_key);
	__type(value, struct syscall_stats_value);
} syscall_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} stats_overflow SEC(".maps");

/* Set by the loader before load when the stats programs are attached. raw_syscalls (--probes
 * full, or switched on by a trigger) then leave the failed and slow calls of the stats families to
 * the stats exits, which see every one of them (they were attached first): one record per call,
 * whichever programs run. */
const volatile bool stats_attached = false;

/* Whether the stats exit streams this call (raw_syscalls must not stream it again). */
static __always_inline bool stats_streams(__u32 nr, long ret, __u64 enter_ns)
{
	if (!stats_attached || nr >= NET_TRACE_SYSCALL_MAX || !(stats_bits[nr] & STATS_FAMILY))
		return false;
	if (ret < 0 && ret >= -4095)
		return true;
	__u64 slow = slow_call_ns[nr];
	return slow != 0 && bpf_ktime_get_ns() - enter_ns >= slow;
}

struct stats_enter_state {
	__u64 ts_ns;
	__u32 nr;            /* NET_TRACE_SYSCALL_MAX when no call is in flight */
	__s32 fd;
	struct syscall_enter dest; /* connect/sendto: the sockaddr's peer (family 0: none) */
};

/* The in-flight call, per thread: its own task storage, so that with raw_syscalls also attached
 * neither pairing consumes the other's. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct stats_enter_state);
} stats_inflight SEC(".maps");

static __always_inline __u8 stats_bits_of(__u32 nr)
{
	return nr < NET_TRACE_SYSCALL_MAX ? stats_bits[nr] : 0;
}

/* The filter is applied here; an exit pairs only with an enter it finds, so it needs none. A
 * 32-bit process's calls never reach these tracepoints (the kernel leaves compat syscalls out of
 * syscalls:*). dest_arg is a constant per program: the argument holding the peer's sockaddr
 * (connect: 1, sendto: 4) or -1. A constant because the kernel refuses to attach a program that
 * may read past the tracepoint's own arguments (close has one), whatever the branch. */
static __always_inline int stats_enter(struct trace_event_raw_sys_enter *ctx, int dest_arg)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!is_traced(id >> 32))
		return 0;
	struct stats_enter_state *st = bpf_task_storage_get(
		&stats_inflight, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!st)
		return 0;
	st->nr = (__u32)ctx->id; /* the tracepoint's int __syscall_nr: the low half */
	st->fd = (__s32)ctx->args[0];
	st->dest.family = 0;
	if (dest_arg == 1)
		sendto_destination(&st->dest, (const void *)ctx->args[1]);
	else if (dest_arg == 4)
		sendto_destination(&st->dest, (const void *)ctx->args[4]);
	st->ts_ns = bpf_ktime_get_ns(); /* last: the latency leaves out the probe's own work */
	return 0;
}

extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id) __ksym;

/* fd -> struct sock, as sock_of_fd, but every read past the fd table is a plain load through a
 * read-only BTF cast (fault-safe, no helper call) instead of bpf_probe_read_kernel: it runs on
 * every read and write of a traced process, and the helper calls were about half of the exit's
 * cost (bpf_stats: 160-200 ns of ~420 ns per call on this VM). NULL when fd is no socket. */
static __always_inline struct sock *stats_sock_of_fd(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	if (!fdt || fd < 0 || (unsigned int)fd >= fdt->max_fds)
		return NULL;
	struct file **fds = fdt->fd;
	struct file *raw = NULL;
	if (bpf_probe_read_kernel(&raw, sizeof(raw), &fds[fd]) != 0 || !raw)
		return NULL;
	struct file *file = bpf_rdonly_cast(raw, bpf_core_type_id_kernel(struct file));
	if ((file->f_inode->i_mode & S_IFMT) != S_IFSOCK)
		return NULL;
	struct socket *sock =
		bpf_rdonly_cast(file->private_data, bpf_core_type_id_kernel(struct socket));
	return sock->sk;
}

/* The peer of an inet socket (connected: its destination); 0 when fd is no socket. */
static __always_inline __u64 stats_sock_peer(struct syscall_stats_key *key, int fd)
{
	struct sock *s = stats_sock_of_fd(fd);
	if (!s)
		return 0;
	__u64 sk = (__u64)s;
	__u16 family = s->__sk_common.skc_family;
	__u16 dport = bpf_ntohs(s->__sk_common.skc_dport);
	if (dport == 0)
		return sk; /* unconnected: no peer */
	if (family == AF_INET) {
		__be32 daddr = s->__sk_common.skc_daddr;
		__builtin_memcpy(key->daddr, &daddr, 4);
	} else if (family == AF_INET6) {
		__builtin_memcpy(key->daddr, &s->__sk_common.skc_v6_daddr, 16);
	} else {
		return sk;
	}
	key->family = family;
	key->dport = dport;
	return sk;
}

/* log2 of a latency in ns, 0..SYSCALL_STATS_BUCKETS-1 (the last bucket open-ended). */
static __always_inline __u32 latency_bucket(__u64 ns)
{
	if (ns >> 31)
		return SYSCALL_STATS_BUCKETS - 1;
	__u32 v = (__u32)ns, r = 0, shift;
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

/* Streams one failed or slow call as a syscall record, as the raw_syscalls exit would. */
static __always_inline void stream_call(struct trace_event_raw_sys_exit *ctx,
					const struct stats_enter_state *st, __u32 nr, __u8 bits,
					__u64 id, __u64 now, __u64 duration, __u64 leader_start)
{
	struct net_trace_syscall_event *ev =
		reserve_event(NET_TRACE_EVENT_SYSCALL, sizeof(struct net_trace_syscall_event));
	if (!ev)
		return;
	ev->type = NET_TRACE_EVENT_SYSCALL;
	ev->tgid = id >> 32;
	ev->tid = (__u32)id;
	ev->fd = (bits & STATS_ARG0_FD) ? st->fd : -1;
	ev->ts_ns = now;
	ev->duration_ns = duration;
	ev->start_time_ns = leader_start;
	ev->ret = ctx->ret;
	ev->nr = nr;
	ev->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	if (take_stacks(ctx, NET_TRACE_EVENT_SYSCALL, &ev->user_stack_id, &ev->kernel_stack_id,
			&ev->leaf_return, true))
		count(&stack_failures, NET_TRACE_EVENT_SYSCALL);
	bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
}

static __always_inline int stats_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct stats_enter_state *st = bpf_task_storage_get(&stats_inflight, task, 0, 0);
	__u32 nr = (__u32)ctx->id;
	if (!st || st->nr != nr)
		return 0;
	__u64 now = bpf_ktime_get_ns();
	st->nr = NET_TRACE_SYSCALL_MAX; /* consumed: a later exit without enter must not pair */
	__u64 duration = now - st->ts_ns;
	__u64 id = bpf_get_current_pid_tgid();
	long ret = ctx->ret;
	__u8 bits = stats_bits_of(nr);
	struct syscall_stats_key key = {};
	key.tgid = id >> 32;
	key.nr = nr;
	key.err = (ret < 0 && ret >= -4095) ? (__s32)-ret : 0;
	key.start_time_ns = task->group_leader->start_boottime;
	if (st->dest.family) {
		key.family = st->dest.family;
		key.dport = st->dest.dport;
		__builtin_memcpy(key.daddr, st->dest.daddr, sizeof(key.daddr));
	}
	if (bits & (STATS_SOCK_PEER | STATS_ACCEPTS)) {
		/* accept: the new connection's socket; else the call's own fd */
		int fd = (bits & STATS_ACCEPTS) ? (int)ret : st->fd;
		__u64 sk = 0;
		if (fd >= 0) {
			struct syscall_stats_key peer = {};
			sk = stats_sock_peer(&peer, fd);
			if (!key.family && peer.family) {
				key.family = peer.family;
				key.dport = peer.dport;
				__builtin_memcpy(key.daddr, peer.daddr, sizeof(key.daddr));
			}
		}
		if (stats_own_sockets && (bits & STATS_OWNS) && sk && key.err == 0)
			remember_fd_owner(sk, key.tgid);
	}
	struct syscall_stats_value *v = bpf_map_lookup_elem(&syscall_stats, &key);
	if (!v) {
		struct syscall_stats_value fresh = {};
		bpf_map_update_elem(&syscall_stats, &key, &fresh, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&syscall_stats, &key);
	}
	if (v) {
		v->calls += 1; /* per-CPU slot: no other writer while this program runs on this CPU */
		v->total_ns += duration;
		if ((bits & STATS_BYTES) && ret > 0)
			v->bytes += ret;
		__u32 b = latency_bucket(duration);
		if (b < SYSCALL_STATS_BUCKETS)
			v->hist[b] += 1;
	} else {
		count(&stats_overflow, 0);
	}
	__u64 slow = nr < NET_TRACE_SYSCALL_MAX ? slow_call_ns[nr] : 0;
	if (key.err != 0 || (slow != 0 && duration >= slow))
		stream_call(ctx, st, nr, bits, id, now, duration, key.start_time_ns);
	return 0;
}

/* One enter/exit pair per syscall of the default families; user space attaches those whose
 * numbers it configured (ProbeSettings), all in the stats group. */
#define STATS_PROBES_DEST(name, dest_arg)                                          \
	SEC("tracepoint/syscalls/sys_enter_" #name)                               \
	int stats_enter_##name(struct trace_event_raw_sys_enter *ctx)              \
	{                                                                          \
		return stats_enter(ctx, dest_arg);                                 \
	}                                                                          \
	SEC("tracepoint/syscalls/sys_exit_" #name)                                \
	int stats_exit_##name(struct trace_event_raw_sys_exit *ctx)                \
	{                                                                          \
		return stats_exit(ctx);                                            \
	}

#define STATS_PROBES(name) STATS_PROBES_DEST(name, -1)

STATS_PROBES_DEST(connect, 1)
STATS_PROBES(accept)
STATS_PROBES(accept4)
STATS_PROBES_DEST(sendto, 4)
STATS_PROBES(recvfrom)
STATS_PROBES(sendmsg)
STATS_PROBES(recvmsg)
STATS_PROBES(read)
STATS_PROBES(write)
STATS_PROBES(readv)
STATS_PROBES(writev)
STATS_PROBES(shutdown)
STATS_PROBES(close)
STATS_PROBES(openat)

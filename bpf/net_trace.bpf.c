// SPDX-License-Identifier: GPL-2.0
/* Network tracing for tracefix: sendto and socket write/writev latency/errors and TCP
 * retransmits, optionally limited to a set of traced processes (and their children). Fixed-size
 * records, no payload bytes. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>
#include "net_trace.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2
#define TCP_SYN_RECV 3
#define TCP_CLOSE 7
#define TCP_LISTEN 10
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define TS_COMPAT 0x0002 /* thread_info.status: a 32-bit syscall is active (x86_64) */

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load: when false, every process is traced and the verifier drops the
 * filter lookups as dead code. */
const volatile bool filter_enabled = false;

/* Set by the loader before load: wake the consumer only once this CPU has submitted this many
 * bytes since it last woke it (0: after every record, the kernel's default). A wakeup per record
 * costs the traced thread an irq_work and the consumer a context switch per event; batched, the
 * consumer reads on its own poll timeout or when this much has accumulated. Counted per CPU, not
 * asked of the ring (bpf_ringbuf_query): reading the ring's shared positions on every record cost
 * a cross-CPU cache miss, about 1 us per record on this VM. */
const volatile __u32 wakeup_bytes = 0;

/* Bytes this CPU submitted since it last woke the consumer. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} unwoken_bytes SEC(".maps");

/* Set by the loader before load: when true, only tasks whose cgroup v2 id is in traced_cgroups
 * are traced, AND (when filter_enabled) only tgids of traced_tgids. */
const volatile bool cgroup_filter_enabled = false;

/* Set by the loader before load, indexed by event type id: keep 1 in N records of the type (0 or
 * 1: keep all). The verifier sees the values as constants, so unsampled types cost nothing. */
const volatile __u32 sample_every[NET_TRACE_EVENT_TYPES] = {};

/* Set by the loader before load, by syscall number: NET_TRACE_SYSCALL_TRACED, plus
 * NET_TRACE_SYSCALL_ARG0_FD when the first argument is an fd; all zero traces nothing. A global
 * rather than a map: the raw_syscalls probes test it with one load, before any map lookup. */
const volatile __u8 syscall_set[NET_TRACE_SYSCALL_MAX] = {};

/* Set by the loader before load when the socket and syscalls probe groups are both attached: the
 * raw_syscalls probes then also do the socket work of write, writev and sendto (their numbers
 * carry NET_TRACE_SYSCALL_SOCKET_WRITE / _SENDTO in syscall_set), and the six syscalls:sys_*
 * tracepoints stay detached. Two programs per socket write instead of four: each program run and
 * tracepoint dispatch cost about as much as its work, and the fold shares the filter test, the
 * clock reads and the task-storage slot between the two records. */
const volatile bool socket_in_raw = false;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024);
} events SEC(".maps");

/* Exact accounting, indexed by event type id: every record a probe decides to emit counts as
 * produced; a failed ring reserve counts as dropped as well. Per-CPU so neither path contends or
 * needs atomics; user space sums all CPUs. produced = consumed + dropped, type by type. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NET_TRACE_EVENT_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} produced SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NET_TRACE_EVENT_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* Records a probe saw and skipped because of sample_every, by type id. Not in produced: produced
 * = stored + dropped holds for the records that were emitted, sampled_out is separate. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NET_TRACE_EVENT_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} sampled_out SEC(".maps");

/* Per type: records seen on this CPU that sampling decided about; the record whose tick is a
 * multiple of N is kept, so one CPU keeps exactly ceil(seen / N). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NET_TRACE_EVENT_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} sample_ticks SEC(".maps");

/* cgroup v2 ids (inode numbers of the cgroup directories) to trace when cgroup_filter_enabled. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u8);
} traced_cgroups SEC(".maps");

/* tgids to trace when filter_enabled; value unused. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u8);
} traced_tgids SEC(".maps");

struct syscall_enter {
	__u64 ts_ns;
	__s32 fd;
	__u16 family;
	__u16 dport;
	__u32 type; /* NET_TRACE_EVENT_SENDTO or NET_TRACE_EVENT_SOCKET_WRITE */
	__u8 daddr[NET_TRACE_ADDR_LEN];
};

/* In-flight sendto and socket write/writev calls: a thread is inside at most one syscall, so one
 * slot per thread serves them all. Task storage, not a hash keyed by pid_tgid: no hashing or LRU
 * bookkeeping on the hot path, and the slot is freed with the thread (one killed inside the
 * syscall leaves nothing behind). type 0 marks a slot with no call in flight. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct syscall_enter);
} inflight SEC(".maps");

/* This thread's in-flight slot, created on first use. */
static __always_inline struct syscall_enter *inflight_slot(void)
{
	return bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
}

struct sys_enter_state {
	__u64 ts_ns;
	__u32 nr;
	__s32 fd;
	struct syscall_enter sock; /* socket_in_raw: the in-flight socket call (type 0: none) */
};

/* The in-flight syscall of the set, per thread (task storage: no hash, no LRU, freed with the
 * thread); separate from inflight because a sendto or socket write is in both at once. nr is
 * NET_TRACE_SYSCALL_MAX when the thread is not inside a traced syscall. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sys_enter_state);
} sys_inflight SEC(".maps");

/* Which process owns a TCP socket. State changes, resets and retransmits mostly run in softirq
 * context, where the current task is whichever one was interrupted (on loopback: the task whose
 * send carried the packet, i.e. the peer), so every TCP event is attributed through this map and
 * never to the current task. An owner is only ever taken from a task acting on the socket itself:
 * connect() (SYN_SENT) and listen() (LISTEN), accept()/accept4() (the fd returned), a receive
 * (sock:sock_recv_length), a sendto/write/writev (the fd); an accepted socket starts with its
 * listener's owner (listener_owners). Only TCP sockets are entered. CLOSE removes an entry, and
 * a new socket's first state change sets or removes the one at its address (own_new_socket), so
 * an entry a freed socket left behind never names the next socket there. */
struct sock_owner {
	__u64 start_time_ns;
	__u32 tgid;
	char comm[NET_TRACE_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64); /* struct sock * */
	__type(value, struct sock_owner);
} sock_owners SEC(".maps");

/* A listener's owner, carried to the connections it accepts: set when a traced process calls
 * listen(); BPF_F_CLONE makes the kernel copy it into each socket cloned from the listener
 * (sk_clone_lock, before the child's LISTEN -> SYN_RECV), so a connection belongs to its
 * listener's owner from its first state change, before accept() returns it. Exact where a port
 * would not be (listeners of different processes may share a port: SO_REUSEPORT, or different
 * addresses). Socket storage is open to BTF programs only, hence tp_btf for the state changes. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC | BPF_F_CLONE);
	__type(key, int);
	__type(value, struct sock_owner);
} listener_owners SEC(".maps");

/* tgid is the current task's: the cgroup tested is the current task's cgroup. */
static __always_inline bool is_traced(__u32 tgid)
{
	if (cgroup_filter_enabled) {
		__u64 cgroup = bpf_get_current_cgroup_id();
		if (!bpf_map_lookup_elem(&traced_cgroups, &cgroup))
			return false;
	}
	if (!filter_enabled)
		return true;
	return bpf_map_lookup_elem(&traced_tgids, &tgid) != NULL;
}

static __always_inline void count(void *counters, __u32 type)
{
	__u64 *n = bpf_map_lookup_elem(counters, &type);
	if (n)
		*n += 1; /* per-CPU slot: no other writer while this program runs on this CPU */
}

/* The only way a probe reserves ring space: counts the record as produced and, when the ring is
 * full, as dropped. Never waits: a full ring costs the traced thread one failed reserve. */
static __always_inline __u64 submit_flags(__u32 size)
{
	if (wakeup_bytes == 0)
		return 0;
	__u32 zero = 0;
	__u64 *unwoken = bpf_map_lookup_elem(&unwoken_bytes, &zero);
	if (!unwoken)
		return 0;
	*unwoken += size; /* per-CPU slot: no other writer while this program runs on this CPU */
	if (*unwoken < wakeup_bytes)
		return BPF_RB_NO_WAKEUP;
	*unwoken = 0;
	return BPF_RB_FORCE_WAKEUP;
}

/* True when sampling skips this record of the type (counted as sampled out). Decided before any
 * ring reserve, so a skipped record costs two per-CPU counter updates. */
static __always_inline bool sampled_away(__u32 type)
{
	if (type >= NET_TRACE_EVENT_TYPES)
		return false;
	__u32 every = sample_every[type];
	if (every <= 1)
		return false;
	__u64 *tick = bpf_map_lookup_elem(&sample_ticks, &type);
	if (!tick)
		return false;
	__u64 seen = *tick;
	*tick = seen + 1;
	if (seen % every == 0)
		return false;
	count(&sampled_out, type);
	return true;
}

/* Syscall records are sampled at sys_enter (a skipped call then costs no in-flight state). */
#define reserve_event(type, size)                                                  \
	({                                                                         \
		void *__r = NULL;                                                  \
		if ((type) == NET_TRACE_EVENT_SYSCALL || !sampled_away(type)) {    \
			count(&produced, (type));                                  \
			__r = bpf_ringbuf_reserve(&events, (size), 0);             \
			if (!__r)                                                  \
				count(&drops, (type));                             \
		}                                                                  \
		__r;                                                               \
	})

/* Copies the addresses of a tcp/sock tracepoint's context (every one of them names its fields
 * family, saddr, daddr, saddr_v6, daddr_v6) into a record, zero-padded. The context may not be
 * read through a variable offset, so the copies go through the helper. A macro because each
 * tracepoint has its own context type. */
#define copy_tcp_addresses(ev, ctx)                                               \
	do {                                                                      \
		__builtin_memset((ev)->saddr, 0, sizeof((ev)->saddr));           \
		__builtin_memset((ev)->daddr, 0, sizeof((ev)->daddr));           \
		if ((ctx)->family == AF_INET6) {                                  \
			bpf_probe_read_kernel((ev)->saddr, 16, (ctx)->saddr_v6);  \
			bpf_probe_read_kernel((ev)->daddr, 16, (ctx)->daddr_v6);  \
		} else {                                                          \
			bpf_probe_read_kernel((ev)->saddr, 4, (ctx)->saddr);      \
			bpf_probe_read_kernel((ev)->daddr, 4, (ctx)->daddr);      \
		}                                                                 \
	} while (0)

static __always_inline __u64 leader_start_time(void)
{
	return bpf_get_current_task_btf()->group_leader->start_boottime;
}

/* Call stacks, by id: kernel and user halves are separate entries. Ids are stable for the
 * capture: entries are never deleted, and a hash-bucket collision fails the grab (counted in
 * stack_failures) instead of replacing a stack an unread record still names. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__uint(value_size, NET_TRACE_STACK_DEPTH * sizeof(__u64));
} stack_traces SEC(".maps");

/* Key 0: bit (1 << event type id) set = take stacks for that type. A map, not .rodata: user space
 * may turn stacks on and off while the probes stay attached. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} stack_types SEC(".maps");

/* Emitted records that asked for stacks and carry none (a full map, a bucket collision, an
 * unreadable user stack), by event type id: equal to the type's rows whose stack_id is NULL.
 * Per-CPU like produced/drops. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NET_TRACE_EVENT_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} stack_failures SEC(".maps");

/* Kernel and user stack ids for a record of {@code type}, -1 each when stacks are off for it or
 * the grab failed; with {@code leaf} also the word at the user stack pointer. A probe that fires
 * in user mode (a uprobe) passes {@code in_kernel} false: it has no kernel stack to take (the
 * helper would fail every time). Returns true when stacks were asked for and the record got
 * none at all, which is what stack_failures counts, once per record that is emitted: a record
 * that carries either half has a stack (events.stack_id is set). */
static __always_inline bool take_stacks(void *ctx, __u32 type, __s32 *user, __s32 *kernel,
					__u64 *leaf, bool in_kernel)
{
	*user = -1;
	*kernel = -1;
	if (leaf)
		*leaf = 0;
	__u32 zero = 0;
	__u32 *bits = bpf_map_lookup_elem(&stack_types, &zero);
	if (!bits || type >= 32 || !(*bits & (1u << type)))
		return false;
	long k = in_kernel ? bpf_get_stackid(ctx, &stack_traces, 0) : -1;
	long u = bpf_get_stackid(ctx, &stack_traces, BPF_F_USER_STACK);
	*kernel = k < 0 ? -1 : (__s32)k;
	*user = u < 0 ? -1 : (__s32)u;
	if (leaf && u >= 0) {
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
		__u64 sp = BPF_CORE_READ(regs, sp);
		if (bpf_probe_read_user(leaf, sizeof(*leaf), (void *)sp) != 0)
			*leaf = 0;
	}
	return k < 0 && u < 0;
}

/* The current process as a socket owner. */
static __always_inline void current_owner(struct sock_owner *owner, __u32 tgid)
{
	__builtin_memset(owner, 0, sizeof(*owner));
	owner->tgid = tgid;
	owner->start_time_ns = leader_start_time();
	bpf_get_current_comm(owner->comm, sizeof(owner->comm));
}

/* Makes the current process (tgid) owner of TCP socket sk. */
static __always_inline void remember_owner(__u64 sk, __u32 tgid)
{
	/* Every write and receive on a socket passes here: a lookup is far cheaper than an LRU
	 * update, and the owner rarely changes. */
	struct sock_owner *known = bpf_map_lookup_elem(&sock_owners, &sk);
	if (known && known->tgid == tgid && known->start_time_ns == leader_start_time())
		return;
	struct sock_owner owner;
	current_owner(&owner, tgid);
	bpf_map_update_elem(&sock_owners, &sk, &owner, BPF_ANY);
}

/* remember_owner for a socket found through an fd, which may be of any kind: only TCP sockets,
 * whose entries the state changes keep (see sock_owners); others would only fill the LRU. */
static __always_inline void remember_fd_owner(__u64 sk, __u32 tgid)
{
	if (BPF_CORE_READ((struct sock *)sk, sk_protocol) == IPPROTO_TCP)
		remember_owner(sk, tgid);
}

/* fd -> struct file -> (if a socket inode) struct socket -> struct sock; 0 if not a socket. */
static __always_inline __u64 sock_of_fd(int fd)
{
	/* BTF-typed pointers: each field is a plain (fault-safe) load rather than a helper call,
	 * which matters here because every write of a traced process passes this way. */
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	if (!fdt || fd < 0 || (unsigned int)fd >= fdt->max_fds)
		return 0;
	struct file **fds = fdt->fd;
	struct file *file = NULL;
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) != 0 || !file)
		return 0;
	if ((BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return 0;
	struct socket *sock = BPF_CORE_READ(file, private_data);
	return sock ? (__u64)BPF_CORE_READ(sock, sk) : 0;
}

/* The destination of a sendto from its user sockaddr (none for a connected socket). */
static __always_inline void sendto_destination(struct syscall_enter *e, const void *uaddr)
{
	if (!uaddr)
		return;
	struct sockaddr_in6 sa = {};
	/* sockaddr_in6 is the larger of the two families we decode; a shorter sockaddr may make the
	 * read fault, in which case the family stays 0. */
	if (bpf_probe_read_user(&sa, sizeof(sa), uaddr) != 0)
		bpf_probe_read_user(&sa, sizeof(struct sockaddr_in), uaddr);
	if (sa.sin6_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&sa;
		e->family = AF_INET;
		e->dport = bpf_ntohs(in->sin_port);
		__builtin_memcpy(e->daddr, &in->sin_addr, 4);
	} else if (sa.sin6_family == AF_INET6) {
		e->family = AF_INET6;
		e->dport = bpf_ntohs(sa.sin6_port);
		__builtin_memcpy(e->daddr, &sa.sin6_addr, 16);
	}
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int handle_enter_sendto(struct trace_event_raw_sys_enter *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!is_traced(id >> 32))
		return 0;

	struct syscall_enter e = {};
	e.ts_ns = bpf_ktime_get_ns();
	e.fd = (__s32)ctx->args[0];
	e.type = NET_TRACE_EVENT_SENDTO;
	sendto_destination(&e, (const void *)ctx->args[4]);
	struct syscall_enter *slot = inflight_slot();
	if (slot)
		*slot = e;

	__u64 sk = sock_of_fd(e.fd);
	if (sk)
		remember_fd_owner(sk, id >> 32);
	return 0;
}

/* When each TCP socket was first seen by a state change: the kernel reuses a freed struct sock for
 * the next socket, so the address alone would join unrelated connections. Forgotten at CLOSE. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64); /* struct sock * */
	__type(value, __u64);
} sock_births SEC(".maps");

static __always_inline __u64 sock_born(__u64 sk)
{
	__u64 *born = sk ? bpf_map_lookup_elem(&sock_births, &sk) : NULL;
	return born ? *born : 0;
}

/* When each socket entered SYN_SENT, for the connect latency of SYN_SENT -> ESTABLISHED. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64); /* struct sock * */
	__type(value, __u64);
} connect_start SEC(".maps");

/* Who a TCP event belongs to: the socket's owner (sock_owners), never the current task. With a
 * pid or cgroup filter, a socket no traced process owns is none of the capture's business: false,
 * nothing produced. Without one (system-wide) its events are kept as unattributed: tgid 0, no
 * comm. Decided before reserving, so every reserved record is submitted and the accounting stays
 * exact. */
static __always_inline bool attribute_tcp(struct sock_owner *who, __u64 sk)
{
	struct sock_owner *owner = sk ? bpf_map_lookup_elem(&sock_owners, &sk) : NULL;
	if (owner) {
		*who = *owner;
		return true;
	}
	if (filter_enabled || cgroup_filter_enabled)
		return false;
	__builtin_memset(who, 0, sizeof(*who));
	return true;
}

static __always_inline void fill_attribution(struct net_trace_tcp_event *ev,
					     const struct sock_owner *who)
{
	ev->tgid = who->tgid;
	ev->tid = 0;
	ev->start_time_ns = who->start_time_ns;
	__builtin_memcpy(ev->comm, who->comm, sizeof(ev->comm));
}

/* A new socket's first state change (connect, listen, or cloned from a listener) decides its
 * owner, or that it has none: an entry a freed socket left at this address (a receive or write
 * that raced with its CLOSE re-entered it) is overwritten or removed here, never inherited.
 *
 * The current task is used at two transitions only, where it is the socket's user: only
 * tcp_v4_connect / tcp_v6_connect set SYN_SENT and only inet_csk_listen_start sets LISTEN, both
 * with the socket locked by the task calling connect() (or sendto/sendmsg with MSG_FASTOPEN) or
 * listen() on it, in that task's context: lock_sock() may sleep, so never from softirq. (A kernel
 * socket's thread, e.g. an MPTCP subflow's kworker, is its user the same way.) A traced listener's
 * owner also goes into its socket storage, for the connections it will accept. */
static __always_inline void own_new_socket(const struct sock *sk, int newstate, bool cloned)
{
	__u64 key = (__u64)sk;
	if (cloned) {
		struct sock_owner *carried =
			bpf_sk_storage_get(&listener_owners, (struct sock *)sk, 0, 0);
		if (carried)
			bpf_map_update_elem(&sock_owners, &key, carried, BPF_ANY);
		else
			bpf_map_delete_elem(&sock_owners, &key);
		return;
	}
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	bool user = newstate == TCP_SYN_SENT || newstate == TCP_LISTEN;
	if (user && is_traced(tgid)) {
		remember_owner(key, tgid);
	} else {
		bpf_map_delete_elem(&sock_owners, &key);
	}
	if (newstate != TCP_LISTEN)
		return;
	if (is_traced(tgid)) {
		struct sock_owner *carried = bpf_sk_storage_get(
			&listener_owners, (struct sock *)sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (carried)
			current_owner(carried, tgid);
	} else {
		/* listening again under an untraced task: not the old owner's connections */
		bpf_sk_storage_delete(&listener_owners, (struct sock *)sk);
	}
}

/* The socket's addresses as sock:inet_sock_set_state records them: an AF_INET6 socket's IPv6
 * addresses (v4-mapped for an IPv4 peer), else the IPv4 source and destination. */
static __always_inline void copy_sock_addresses(struct net_trace_tcp_event *ev,
						const struct sock *sk)
{
	__builtin_memset(ev->saddr, 0, sizeof(ev->saddr));
	__builtin_memset(ev->daddr, 0, sizeof(ev->daddr));
	if (ev->family == AF_INET6) {
		BPF_CORE_READ_INTO(&ev->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&ev->daddr, sk, __sk_common.skc_v6_daddr);
	} else {
		__be32 saddr = BPF_CORE_READ((struct inet_sock *)sk, inet_saddr);
		__be32 daddr = sk->__sk_common.skc_daddr;
		__builtin_memcpy(ev->saddr, &saddr, 4);
		__builtin_memcpy(ev->daddr, &daddr, 4);
	}
}

/* One tcp_state record (with the connect latency on SYN_SENT -> ESTABLISHED). */
static __always_inline void emit_state_change(const struct sock *sk, int oldstate, int newstate,
					      __u64 now, const struct sock_owner *who)
{
	struct net_trace_tcp_event *ev =
		reserve_event(NET_TRACE_EVENT_TCP_STATE, sizeof(struct net_trace_tcp_event));
	if (!ev)
		return;
	__u64 key = (__u64)sk;
	fill_attribution(ev, who);
	ev->type = NET_TRACE_EVENT_TCP_STATE;
	ev->oldstate = oldstate;
	ev->newstate = newstate;
	ev->family = sk->__sk_common.skc_family;
	ev->protocol = IPPROTO_TCP;
	ev->sport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	ev->dport = bpf_ntohs(sk->__sk_common.skc_dport);
	ev->pad = 0;
	ev->ts_ns = now;
	ev->duration_ns = 0;
	if (oldstate == TCP_SYN_SENT && newstate == TCP_ESTABLISHED) {
		__u64 *began = bpf_map_lookup_elem(&connect_start, &key);
		if (began)
			ev->duration_ns = now - *began;
	}
	ev->sock = key;
	ev->sock_born_ns = sock_born(key);
	copy_sock_addresses(ev, sk);
	bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
}

/* Every state change of an owned TCP socket becomes an event; a new socket's owner is decided
 * here (own_new_socket). A closed socket is forgotten after its last event. A BTF tracepoint (the same sock:inet_sock_set_state) because
 * only those may use socket storage; the fields the classic tracepoint copied are read from the
 * socket the same way. */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(handle_sock_state, const struct sock *sk, const int oldstate, const int newstate)
{
	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	__u64 key = (__u64)sk;
	__u64 now = bpf_ktime_get_ns();
	/* A connection cloned from its listener starts in the listener's state. */
	bool cloned = oldstate == TCP_LISTEN && newstate == TCP_SYN_RECV;
	bool born = oldstate == TCP_CLOSE || cloned;
	if (born)
		own_new_socket(sk, newstate, cloned);
	if (newstate == TCP_SYN_SENT)
		bpf_map_update_elem(&connect_start, &key, &now, BPF_ANY);
	if (born || !bpf_map_lookup_elem(&sock_births, &key))
		bpf_map_update_elem(&sock_births, &key, &now, BPF_ANY);
	struct sock_owner who;
	if (attribute_tcp(&who, key))
		emit_state_change(sk, oldstate, newstate, now, &who);
	if (oldstate == TCP_SYN_SENT)
		bpf_map_delete_elem(&connect_start, &key);
	if (newstate == TCP_CLOSE) {
		bpf_map_delete_elem(&sock_owners, &key);
		bpf_map_delete_elem(&sock_births, &key);
	}
	return 0;
}

/* Copies family, port and address out of a sockaddr_in / sockaddr_in6 image (as tcp_send_reset
 * records them: 28 bytes). */
static __always_inline void from_sockaddr(const __u8 *sa, __u16 *family, __u16 *port, __u8 *addr)
{
	__u16 fam = 0, be_port = 0;
	bpf_probe_read_kernel(&fam, 2, sa);
	bpf_probe_read_kernel(&be_port, 2, sa + 2);
	*family = fam;
	*port = bpf_ntohs(be_port);
	if (fam == AF_INET6)
		bpf_probe_read_kernel(addr, 16, sa + 8);
	else if (fam == AF_INET)
		bpf_probe_read_kernel(addr, 4, sa + 4);
}

/* A reset this host sent from an owned socket. A reset sent without a socket (e.g. to a SYN for a
 * closed port) or from a time-wait or request socket has no owner: kept unattributed without a
 * filter, dropped with one. */
SEC("tracepoint/tcp/tcp_send_reset")
int handle_tcp_send_reset(struct trace_event_raw_tcp_send_reset *ctx)
{
	__u64 sk = (__u64)ctx->skaddr;
	struct sock_owner who;
	if (!attribute_tcp(&who, sk))
		return 0;
	struct net_trace_tcp_event *ev =
		reserve_event(NET_TRACE_EVENT_TCP_RESET_SENT, sizeof(struct net_trace_tcp_event));
	if (!ev)
		return 0;
	fill_attribution(ev, &who);
	ev->type = NET_TRACE_EVENT_TCP_RESET_SENT;
	ev->oldstate = ctx->state;
	ev->newstate = -1;
	ev->protocol = IPPROTO_TCP;
	ev->pad = 0;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->duration_ns = 0;
	ev->sock = sk;
	ev->sock_born_ns = sock_born(sk);
	__builtin_memset(ev->saddr, 0, sizeof(ev->saddr));
	__builtin_memset(ev->daddr, 0, sizeof(ev->daddr));
	__u16 dfamily = 0;
	from_sockaddr(ctx->saddr, &ev->family, &ev->sport, ev->saddr);
	from_sockaddr(ctx->daddr, &dfamily, &ev->dport, ev->daddr);
	bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
	return 0;
}

/* A reset an owned socket received (e.g. connecting to a closed port: ECONNREFUSED). */
SEC("tracepoint/tcp/tcp_receive_reset")
int handle_tcp_receive_reset(struct trace_event_raw_tcp_event_sk *ctx)
{
	__u64 sk = (__u64)ctx->skaddr;
	struct sock_owner who;
	if (!attribute_tcp(&who, sk))
		return 0;
	struct net_trace_tcp_event *ev =
		reserve_event(NET_TRACE_EVENT_TCP_RESET_RECEIVED, sizeof(struct net_trace_tcp_event));
	if (!ev)
		return 0;
	fill_attribution(ev, &who);
	ev->type = NET_TRACE_EVENT_TCP_RESET_RECEIVED;
	ev->oldstate = BPF_CORE_READ((struct sock *)sk, __sk_common.skc_state);
	ev->newstate = -1;
	ev->family = ctx->family;
	ev->protocol = IPPROTO_TCP;
	ev->sport = ctx->sport;
	ev->dport = ctx->dport;
	ev->pad = 0;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->duration_ns = 0;
	ev->sock = sk;
	ev->sock_born_ns = sock_born(sk);
	copy_tcp_addresses(ev, ctx);
	bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
	return 0;
}

/* write(2)/writev(2) are how the JDK (and most stream clients) send on a connected socket; only
 * calls whose fd is a socket are kept, so file and pipe writes cost one fd lookup and nothing
 * else. The socket gets the caller as owner, as with sendto, so retransmits attribute. */
static __always_inline int enter_socket_write(struct trace_event_raw_sys_enter *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!is_traced(id >> 32))
		return 0;
	__s32 fd = (__s32)ctx->args[0];
	__u64 sk = sock_of_fd(fd);
	if (!sk)
		return 0;

	struct syscall_enter e = {};
	e.ts_ns = bpf_ktime_get_ns();
	e.fd = fd;
	e.type = NET_TRACE_EVENT_SOCKET_WRITE;
	struct syscall_enter *slot = inflight_slot();
	if (slot)
		*slot = e;
	remember_fd_owner(sk, id >> 32);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_write")
int handle_enter_write(struct trace_event_raw_sys_enter *ctx)
{
	return enter_socket_write(ctx);
}

SEC("tracepoint/syscalls/sys_enter_writev")
int handle_enter_writev(struct trace_event_raw_sys_enter *ctx)
{
	return enter_socket_write(ctx);
}

/* The record of a completed socket call {@code in} of {@code type}; consumes the slot. The clock
 * is read after the reserve, so a full ring costs no clock read. */
static __always_inline void emit_socket_record(struct trace_event_raw_sys_exit *ctx,
					       struct syscall_enter *in, __u32 type, __u64 id)
{
	struct net_trace_event *ev = reserve_event(type, sizeof(*ev));
	if (!ev) {
		in->type = 0;
		return;
	}
	__u64 now = bpf_ktime_get_ns();
	ev->ts_ns = now;
	ev->duration_ns = now - in->ts_ns;
	ev->start_time_ns = leader_start_time();
	ev->ret = ctx->ret;
	ev->type = type;
	ev->tgid = id >> 32;
	ev->tid = (__u32)id;
	ev->fd = in->fd;
	/* The syscall's number: raw_syscalls' id, or a syscalls:sys_exit_* tracepoint's int
	 * __syscall_nr at the same offset (the low half of id on this little-endian ABI). */
	ev->state = (__s32)ctx->id;
	ev->family = in->family;
	ev->sport = 0;
	ev->dport = in->dport;
	ev->pad = 0;
	__builtin_memset(ev->saddr, 0, sizeof(ev->saddr));
	__builtin_memcpy(ev->daddr, in->daddr, sizeof(ev->daddr));
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
	in->type = 0;
}

/* Completes the in-flight call of this thread into one record. An entry of another type is
 * stale (its exit was never seen) and is dropped rather than misreported. */
static __always_inline int exit_syscall(struct trace_event_raw_sys_exit *ctx, __u32 type)
{
	struct syscall_enter *in = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, 0);
	if (!in || in->type == 0)
		return 0;
	if (in->type != type) {
		in->type = 0; /* a stale call of another kind: consumed */
		return 0;
	}
	emit_socket_record(ctx, in, type, bpf_get_current_pid_tgid());
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int handle_exit_sendto(struct trace_event_raw_sys_exit *ctx)
{
	return exit_syscall(ctx, NET_TRACE_EVENT_SENDTO);
}

SEC("tracepoint/syscalls/sys_exit_write")
int handle_exit_write(struct trace_event_raw_sys_exit *ctx)
{
	return exit_syscall(ctx, NET_TRACE_EVENT_SOCKET_WRITE);
}

SEC("tracepoint/syscalls/sys_exit_writev")
int handle_exit_writev(struct trace_event_raw_sys_exit *ctx)
{
	return exit_syscall(ctx, NET_TRACE_EVENT_SOCKET_WRITE);
}

/* A traced process that accepted a connection owns the socket accept() returned (fd). Its owner
 * until then was its listener's, if a traced process listened on it during the capture. */
static __always_inline void own_accepted(long fd)
{
	if (fd < 0)
		return;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (!is_traced(tgid))
		return;
	__u64 sk = sock_of_fd(fd);
	if (sk)
		remember_fd_owner(sk, tgid);
}

/* Part of the tcp group (socket ownership), attached only when raw_syscalls do not do it: with a
 * syscall set, accept and accept4 carry NET_TRACE_SYSCALL_ACCEPT and the raw exit owns the socket,
 * so no syscalls:* tracepoint is added to every syscall's path. */
SEC("tracepoint/syscalls/sys_exit_accept")
int handle_exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	own_accepted(ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int handle_exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	own_accepted(ctx->ret);
	return 0;
}

/* A receive on a TCP socket (read, readv, recv*, io_uring: every path through sock_recvmsg),
 * which runs in the receiving task's own context (it may sleep on the socket lock): a traced
 * reader owns the socket. This covers sockets it
 * neither connected nor accepted during the capture (open before it started, inherited, passed
 * over a Unix socket). BTF-typed: the socket is an argument, no fd lookup, and one compare
 * leaves every other kind of socket alone. */
SEC("tp_btf/sock_recv_length")
int BPF_PROG(handle_sock_recv, struct sock *sk, int ret, int flags)
{
	/* The read that returns end-of-file often comes after the socket's CLOSE: re-entering it
	 * then would only leave an entry behind (see own_new_socket). */
	if (sk->sk_protocol != IPPROTO_TCP || sk->__sk_common.skc_state == TCP_CLOSE)
		return 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (is_traced(tgid))
		remember_owner((__u64)sk, tgid);
	return 0;
}

/* Mostly fired from the retransmit timer in softirq: attributed like every TCP event, to the
 * socket's owner (attribute_tcp). */
SEC("tracepoint/tcp/tcp_retransmit_skb")
int handle_tcp_retransmit(struct trace_event_raw_tcp_retransmit_skb *ctx)
{
	__u64 sk = (__u64)ctx->skaddr;
	struct sock_owner who;
	if (!attribute_tcp(&who, sk))
		return 0;

	struct net_trace_event *ev = reserve_event(NET_TRACE_EVENT_TCP_RETRANSMIT, sizeof(*ev));
	if (!ev)
		return 0;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->duration_ns = 0;
	ev->ret = 0;
	ev->type = NET_TRACE_EVENT_TCP_RETRANSMIT;
	ev->tgid = who.tgid;
	ev->tid = 0;
	ev->start_time_ns = who.start_time_ns;
	__builtin_memcpy(ev->comm, who.comm, sizeof(ev->comm));
	ev->fd = -1;
	ev->state = ctx->state;
	ev->family = ctx->family;
	ev->sport = ctx->sport;
	ev->dport = ctx->dport;
	ev->pad = 0;
	copy_tcp_addresses(ev, ctx);
	bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
	return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!is_traced(id >> 32))
		return 0;

	struct net_trace_exec_event *ev = reserve_event(NET_TRACE_EVENT_EXEC, sizeof(*ev));
	if (!ev)
		return 0;
	ev->type = NET_TRACE_EVENT_EXEC;
	ev->tgid = id >> 32;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->start_time_ns = leader_start_time();
	ev->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	unsigned int loc = ctx->__data_loc_filename & 0xFFFF;
	if (bpf_probe_read_kernel_str(ev->filename, sizeof(ev->filename), (void *)ctx + loc) < 0)
		ev->filename[0] = 0;
	bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
	return 0;
}

/* Follows children: the tracepoint runs in the parent, so its tgid decides. A new thread reports
 * its thread id as child_pid; adding it is harmless because thread ids and tgids share one
 * number space and the key is only ever compared against tgids. */
SEC("tracepoint/sched/sched_process_fork")
int handle_fork(struct trace_event_raw_sched_process_fork *ctx)
{
	if (!filter_enabled)
		return 0;
	__u32 parent = bpf_get_current_pid_tgid() >> 32;
	if (!bpf_map_lookup_elem(&traced_tgids, &parent))
		return 0;
	__u32 child = ctx->child_pid;
	__u8 one = 1;
	bpf_map_update_elem(&traced_tgids, &child, &one, BPF_ANY);
	return 0;
}

/* Reports a traced process's exit and forgets it when its last thread exits, so the filter map
 * only holds live tgids. Only with the filter on: a system-wide capture has no process set.
 * Not when the leader exits: a leader may pthread_exit() while its other threads keep working.
 * do_exit() decrements signal->live before this tracepoint, so 0 means the whole group is dead. */
SEC("tracepoint/sched/sched_process_exit")
int handle_exit(void *ctx)
{
	if (!filter_enabled)
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (!bpf_map_lookup_elem(&traced_tgids, &tgid))
		return 0;
	/* In the process set but outside the --cgroup set: forgotten without an event, like every
	 * other event of that process. */
	struct net_trace_exit_event *ev =
		is_traced(tgid)
			? reserve_event(NET_TRACE_EVENT_EXIT, sizeof(struct net_trace_exit_event))
			: NULL;
	if (ev) {
		ev->type = NET_TRACE_EVENT_EXIT;
		ev->tgid = tgid;
		ev->ts_ns = bpf_ktime_get_ns();
		ev->start_time_ns = leader_start_time();
		/* Every thread of an exit_group() exits with the group's code, so the last one's is it. */
		ev->exit_status = BPF_CORE_READ(task, exit_code);
		ev->pad = 0;
		bpf_get_current_comm(ev->comm, sizeof(ev->comm));
		bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
	}
	bpf_map_delete_elem(&traced_tgids, &tgid);
	return 0;
}

/* Default mode's aggregating programs (stats group); before the raw_syscalls programs, which
 * defer to them for the calls they stream (stats_streams). */
#include "syscall_stats.bpf.h"

#define RAW_SOCKET_BITS (NET_TRACE_SYSCALL_SOCKET_WRITE | NET_TRACE_SYSCALL_SENDTO)

/* The syscall_set bits of nr (0 for numbers outside the table). */
static __always_inline __u8 syscall_bits(long nr)
{
	if (nr < 0 || nr >= NET_TRACE_SYSCALL_MAX)
		return 0;
	return syscall_set[nr];
}

/* Every syscall of every task passes here: the set is tested first (one load), then the filter,
 * then sampling; only then is per-thread state touched. */
SEC("tracepoint/raw_syscalls/sys_enter")
int handle_raw_sys_enter(struct trace_event_raw_sys_enter *ctx)
{
	long nr = ctx->id;
	__u8 bits = syscall_bits(nr);
	if (!(bits & (NET_TRACE_SYSCALL_TRACED | (socket_in_raw ? RAW_SOCKET_BITS : 0))))
		return 0;
	/* A 32-bit process's syscall numbers are another table (1 is exit there, not write): its
	 * calls are not in the x86_64 set this table describes. */
	if (bpf_get_current_task_btf()->thread_info.status & TS_COMPAT)
		return 0;
	__u64 id = bpf_get_current_pid_tgid();
	if (!is_traced(id >> 32))
		return 0;
	struct sys_enter_state *st = NULL;
	__u64 now = 0;
	if (socket_in_raw && (bits & RAW_SOCKET_BITS)) {
		/* As the sys_enter_{write,writev,sendto} probes do, before (and whatever) sampling of
		 * syscall records decides: a sampled-away syscall still has its socket record. */
		__s32 fd = (__s32)ctx->args[0];
		__u64 sk = sock_of_fd(fd);
		bool sendto = bits & NET_TRACE_SYSCALL_SENDTO;
		if (sk || sendto) {
			st = bpf_task_storage_get(&sys_inflight, bpf_get_current_task_btf(), 0,
						  BPF_LOCAL_STORAGE_GET_F_CREATE);
			if (st) {
				now = bpf_ktime_get_ns();
				struct syscall_enter e = {};
				e.ts_ns = now;
				e.fd = fd;
				e.type = sendto ? NET_TRACE_EVENT_SENDTO : NET_TRACE_EVENT_SOCKET_WRITE;
				if (sendto)
					sendto_destination(&e, (const void *)ctx->args[4]);
				st->sock = e;
			}
			if (sk)
				remember_fd_owner(sk, id >> 32);
		}
		if (!(bits & NET_TRACE_SYSCALL_TRACED))
			return 0;
	}
	if (sampled_away(NET_TRACE_EVENT_SYSCALL))
		return 0;
	if (!st)
		st = bpf_task_storage_get(&sys_inflight, bpf_get_current_task_btf(), 0,
					  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!st)
		return 0;
	st->ts_ns = now ? now : bpf_ktime_get_ns();
	st->nr = nr;
	st->fd = (bits & NET_TRACE_SYSCALL_ARG0_FD) ? (__s32)ctx->args[0] : -1;
	return 0;
}

/* Pairs the exit with this thread's enter; a syscall that never returns (exit, a successful
 * execve) leaves no event, and its state is overwritten by the thread's next traced syscall or
 * freed with the thread. */
SEC("tracepoint/raw_syscalls/sys_exit")
int handle_raw_sys_exit(struct trace_event_raw_sys_exit *ctx)
{
	long nr = ctx->id;
	__u8 bits = syscall_bits(nr);
	if (!(bits & (NET_TRACE_SYSCALL_TRACED | NET_TRACE_SYSCALL_ACCEPT |
		      (socket_in_raw ? RAW_SOCKET_BITS : 0))))
		return 0;
	/* As sys_exit_accept{,4} do; a 32-bit process's number 43 or 288 is another call. */
	if ((bits & NET_TRACE_SYSCALL_ACCEPT) &&
	    !(bpf_get_current_task_btf()->thread_info.status & TS_COMPAT))
		own_accepted(ctx->ret);
	struct sys_enter_state *st =
		bpf_task_storage_get(&sys_inflight, bpf_get_current_task_btf(), 0, 0);
	if (!st)
		return 0;
	/* A failed or slow call of the stats families is the stats exit's record (stats_streams). */
	if (stats_attached && stats_streams(nr, ctx->ret,
					    st->sock.type != 0 ? st->sock.ts_ns : st->ts_ns)) {
		st->sock.type = 0;
		if (st->nr == nr)
			st->nr = NET_TRACE_SYSCALL_MAX;
		return 0;
	}
	__u64 id = bpf_get_current_pid_tgid();
	if (socket_in_raw && (bits & RAW_SOCKET_BITS) && st->sock.type != 0) {
		/* As the sys_exit_{write,writev,sendto} probes do: a slot of another type is stale. */
		__u32 type = (bits & NET_TRACE_SYSCALL_SENDTO) ? NET_TRACE_EVENT_SENDTO
							       : NET_TRACE_EVENT_SOCKET_WRITE;
		if (st->sock.type != type) {
			st->sock.type = 0;
		} else {
			emit_socket_record(ctx, &st->sock, type, id);
			/* One call, one row: the socket record already carries the syscall's number,
			 * latency and return value, so no syscall record follows it (a record lost to a
			 * full ring is one drop of one call, counted under the socket type). */
			if (st->nr == nr)
				st->nr = NET_TRACE_SYSCALL_MAX;
			return 0;
		}
	}
	if (!(bits & NET_TRACE_SYSCALL_TRACED) || st->nr != nr)
		return 0;
	st->nr = NET_TRACE_SYSCALL_MAX; /* consumed: a later exit without enter must not pair */
	struct net_trace_syscall_event *ev =
		reserve_event(NET_TRACE_EVENT_SYSCALL, sizeof(struct net_trace_syscall_event));
	if (!ev)
		return 0;
	__u64 now = bpf_ktime_get_ns();
	ev->type = NET_TRACE_EVENT_SYSCALL;
	ev->tgid = id >> 32;
	ev->tid = (__u32)id;
	ev->fd = st->fd;
	ev->ts_ns = now;
	ev->duration_ns = now - st->ts_ns;
	ev->start_time_ns = leader_start_time();
	ev->ret = ctx->ret;
	ev->nr = nr;
	ev->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	if (take_stacks(ctx, NET_TRACE_EVENT_SYSCALL, &ev->user_stack_id, &ev->kernel_stack_id,
			&ev->leaf_return, true))
		count(&stack_failures, NET_TRACE_EVENT_SYSCALL);
	bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
	return 0;
}

/* A call in flight of a probed function, per thread and probe: the same thread may be inside two
 * different probed functions at once (one calling the other). */
struct uprobe_key {
	__u64 pid_tgid;
	__u64 probe_id;
};

/* Entry time of probed calls in flight. LRU: a thread that longjmps out of, or dies inside, a
 * probed function never returns through the uretprobe, and its entry must not fill the map. A
 * recursive call overwrites its caller's entry, so only the innermost call of a recursion is
 * timed. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct uprobe_key);
	__type(value, __u64);
} uprobe_inflight SEC(".maps");

/* Both programs are attached once per target by user space, with the target's probe id as the
 * attach cookie (bpf_program__attach_uprobe_opts); a bare SEC("uprobe") is never auto-attached. */
SEC("uprobe")
int handle_uprobe_entry(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!is_traced(id >> 32))
		return 0;
	struct uprobe_key key = { .pid_tgid = id, .probe_id = bpf_get_attach_cookie(ctx) };
	__u64 now = bpf_ktime_get_ns();
	bpf_map_update_elem(&uprobe_inflight, &key, &now, BPF_ANY);
	return 0;
}

/* One record per completed call whose entry was seen: the entry already applied the pid filter. */
SEC("uretprobe")
int handle_uprobe_return(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct uprobe_key key = { .pid_tgid = id, .probe_id = bpf_get_attach_cookie(ctx) };
	__u64 *began = bpf_map_lookup_elem(&uprobe_inflight, &key);
	if (!began)
		return 0;
	__u64 now = bpf_ktime_get_ns();
	__u64 duration = now - *began;
	bpf_map_delete_elem(&uprobe_inflight, &key);
	struct net_trace_uprobe_event *ev =
		reserve_event(NET_TRACE_EVENT_UPROBE, sizeof(struct net_trace_uprobe_event));
	if (!ev)
		return 0;
	ev->type = NET_TRACE_EVENT_UPROBE;
	ev->tgid = id >> 32;
	ev->tid = (__u32)id;
	ev->probe_id = (__u32)key.probe_id;
	ev->ts_ns = now;
	ev->duration_ns = duration;
	ev->start_time_ns = leader_start_time();
	ev->ret = PT_REGS_RC(ctx);
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	if (take_stacks(ctx, NET_TRACE_EVENT_UPROBE, &ev->user_stack_id, &ev->kernel_stack_id, NULL,
			false))
		count(&stack_failures, NET_TRACE_EVENT_UPROBE);
	bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
	return 0;
}

/* Set by the loader before load: off-CPU spans shorter than this are not reported. */
const volatile __u64 offcpu_min_ns = 1000000;

/* A traced thread that left the CPU: when, how, and its stacks at that moment. */
struct offcpu_start {
	__u64 ts_ns;
	__u64 start_time_ns;
	__u64 leaf_return;
	__u32 tgid;
	__u32 prev_state;
	__s32 user_stack_id;
	__s32 kernel_stack_id;
	__u32 stack_failed; /* stacks were asked for and none was taken: counted if the span is emitted */
	char comm[NET_TRACE_COMM_LEN];
};

/* By thread id. LRU: a thread that exits while off the CPU never switches back in. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct offcpu_start);
} offcpu_starts SEC(".maps");

/* Off-CPU time: runs in the task leaving the CPU (prev is current), so its stacks are the ones
 * bpf_get_stackid sees; the span closes when the same thread is switched back in. Attached only
 * when off-CPU time is asked for: it fires on every context switch of the machine. */
SEC("tracepoint/sched/sched_switch")
int handle_sched_switch(struct trace_event_raw_sched_switch *ctx)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 prev = (__u32)id;
	if (prev != 0 && is_traced(id >> 32)) {
		struct offcpu_start st = {};
		st.ts_ns = now;
		st.tgid = id >> 32;
		st.prev_state = (__u32)ctx->prev_state;
		st.start_time_ns = leader_start_time();
		/* Every switch-out grabs stacks, but only spans of at least offcpu_min_ns become
		 * records: a failure is counted when its record is emitted, below, not here. */
		st.stack_failed = take_stacks(ctx, NET_TRACE_EVENT_OFF_CPU, &st.user_stack_id,
					      &st.kernel_stack_id, &st.leaf_return, true);
		bpf_get_current_comm(st.comm, sizeof(st.comm));
		bpf_map_update_elem(&offcpu_starts, &prev, &st, BPF_ANY);
	}
	__u32 next = (__u32)ctx->next_pid;
	if (next == 0)
		return 0;
	struct offcpu_start *st = bpf_map_lookup_elem(&offcpu_starts, &next);
	if (!st)
		return 0;
	__u64 off = now - st->ts_ns;
	if (off >= offcpu_min_ns) {
		struct net_trace_offcpu_event *ev = reserve_event(
			NET_TRACE_EVENT_OFF_CPU, sizeof(struct net_trace_offcpu_event));
		if (ev) {
			ev->type = NET_TRACE_EVENT_OFF_CPU;
			ev->tgid = st->tgid;
			ev->tid = next;
			ev->prev_state = st->prev_state;
			ev->ts_ns = now;
			ev->duration_ns = off;
			ev->start_time_ns = st->start_time_ns;
			__builtin_memcpy(ev->comm, st->comm, sizeof(ev->comm));
			ev->user_stack_id = st->user_stack_id;
			ev->kernel_stack_id = st->kernel_stack_id;
			ev->leaf_return = st->leaf_return;
			if (st->stack_failed)
				count(&stack_failures, NET_TRACE_EVENT_OFF_CPU);
			bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
		}
	}
	bpf_map_delete_elem(&offcpu_starts, &next);
	return 0;
}

/* A traced process forked a new process. The raw tracepoint (not the tracepoint) hands over the
 * child's task_struct, whose pid == tgid only for a new process: the tracepoint's child_pid
 * cannot tell a thread from a process. Runs in the parent. With the filter off every fork of the
 * machine is reported, like execs. */
SEC("raw_tracepoint/sched_process_fork")
int handle_fork_event(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 pid = BPF_CORE_READ(child, pid);
	__u32 child_tgid = BPF_CORE_READ(child, tgid);
	if (pid != child_tgid)
		return 0;
	__u64 id = bpf_get_current_pid_tgid();
	if (!is_traced(id >> 32))
		return 0;
	struct net_trace_fork_event *ev =
		reserve_event(NET_TRACE_EVENT_FORK, sizeof(struct net_trace_fork_event));
	if (!ev)
		return 0;
	ev->type = NET_TRACE_EVENT_FORK;
	ev->tgid = id >> 32;
	ev->child_tgid = child_tgid;
	ev->pad = 0;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->start_time_ns = leader_start_time();
	ev->child_start_time_ns = BPF_CORE_READ(child, start_boottime);
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	bpf_ringbuf_submit(ev, submit_flags(sizeof(*ev)));
	return 0;
}

/* Shared between net_trace.bpf.c and user space (mirrored by NetTraceLayout.java, field by name).
 * Only the event record and constants live here. */
#ifndef TRACEFIX_NET_TRACE_H
#define TRACEFIX_NET_TRACE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define NET_TRACE_COMM_LEN 16
#define NET_TRACE_ADDR_LEN 16
#define NET_TRACE_PATH_LEN 256
/* Size of the syscall_set map: syscall numbers at or above it are never traced. */
#define NET_TRACE_SYSCALL_MAX 512
/* Bits of a syscall_set value. */
#define NET_TRACE_SYSCALL_TRACED 1
#define NET_TRACE_SYSCALL_ARG0_FD 2
/* Socket probes folded into raw_syscalls (socket_in_raw): the call is a write/writev, or a sendto,
 * whose socket record raw_syscalls emit; set even when the number is not TRACED itself. */
#define NET_TRACE_SYSCALL_SOCKET_WRITE 4
#define NET_TRACE_SYSCALL_SENDTO 8
/* TCP socket ownership folded into raw_syscalls: an accept/accept4 whose exit makes the caller
 * owner of the accepted socket; set even when the number is not TRACED itself. */
#define NET_TRACE_SYSCALL_ACCEPT 16

/* Event type ids: the first field of every record, so user space can tell them apart. */
#define NET_TRACE_EVENT_SENDTO 1
#define NET_TRACE_EVENT_TCP_RETRANSMIT 2
#define NET_TRACE_EVENT_EXEC 3
#define NET_TRACE_EVENT_SOCKET_WRITE 4
#define NET_TRACE_EVENT_SYSCALL 5
#define NET_TRACE_EVENT_TCP_STATE 6
#define NET_TRACE_EVENT_TCP_RESET_SENT 7
#define NET_TRACE_EVENT_TCP_RESET_RECEIVED 8
#define NET_TRACE_EVENT_EXIT 9
#define NET_TRACE_EVENT_UPROBE 10
#define NET_TRACE_EVENT_OFF_CPU 11
#define NET_TRACE_EVENT_FORK 12
/* One more than the largest type id: the size of the per-type accounting arrays. */
#define NET_TRACE_EVENT_TYPES 16

/* A sendto, a write/writev on a socket, or a TCP retransmit. Never carries payload bytes;
 * addresses are read by user space only to be hashed. Ports are in host byte order, addresses in
 * network byte order. */
struct net_trace_event {
	__u32 type;           /* NET_TRACE_EVENT_SENDTO, _SOCKET_WRITE or _TCP_RETRANSMIT */
	__u32 tgid;
	__u32 tid;
	__s32 fd;             /* the syscall's fd; -1 for retransmits */
	__u64 ts_ns;          /* bpf_ktime_get_ns() when the event completed */
	__u64 duration_ns;    /* syscall enter to exit; 0 for retransmits */
	__u64 start_time_ns;  /* start_boottime of the thread-group leader (ns since boot) */
	__s64 ret;            /* syscall return value (negative errno on failure) */
	__s32 state;          /* TCP state of a retransmit; the x86_64 syscall number of a sendto or
	                       * socket write (the call's one row names its syscall) */
	__u16 family;         /* AF_INET / AF_INET6, 0 when no address was given (always for writes) */
	__u16 sport;
	__u16 dport;
	__u16 pad;
	__u8 saddr[NET_TRACE_ADDR_LEN];
	__u8 daddr[NET_TRACE_ADDR_LEN];
	char comm[NET_TRACE_COMM_LEN];
};

/* A traced process called exec: lets user space describe processes that exit before their
 * events are read. The path is read by user space only to hash it and find its build id. */
struct net_trace_exec_event {
	__u32 type;           /* NET_TRACE_EVENT_EXEC */
	__u32 tgid;
	__u64 ts_ns;
	__u64 start_time_ns;
	__u64 cgroup_id;      /* cgroup v2 id (kernfs inode number of the cgroup directory) */
	char comm[NET_TRACE_COMM_LEN];
	char filename[NET_TRACE_PATH_LEN];
};

/* One completed syscall of the configured set (raw_syscalls:sys_enter/sys_exit, paired per
 * thread). The name is resolved from nr in user space. */
struct net_trace_syscall_event {
	__u32 type;           /* NET_TRACE_EVENT_SYSCALL */
	__u32 tgid;
	__u32 tid;
	__s32 fd;             /* first argument when the syscall takes an fd there, else -1 */
	__u64 ts_ns;          /* bpf_ktime_get_ns() at exit */
	__u64 duration_ns;    /* enter to exit */
	__u64 start_time_ns;  /* start_boottime of the thread-group leader */
	__s64 ret;            /* return value (negative errno on failure) */
	__u32 nr;             /* x86_64 syscall number */
	__u32 cpu;            /* bpf_get_smp_processor_id() at exit: the CPU the call returned on */
	char comm[NET_TRACE_COMM_LEN]; /* the thread's comm: describes a process gone before /proc */
	__s32 user_stack_id;  /* id in stack_traces, or -1 (stacks off for this type, or failed) */
	__s32 kernel_stack_id;
	__u64 leaf_return;    /* the word at the user stack pointer: the caller of a leaf syscall
	                       * wrapper, which a frame-pointer walk skips; user space keeps it only
	                       * when it is a return address (see stacks.LeafCaller) */
};

/* A TCP socket changed state (sock:inet_sock_set_state), or sent / received a reset
 * (tcp:tcp_send_reset, tcp:tcp_receive_reset). (sock, sock_born_ns) identifies the connection in
 * all three; user space keeps only a keyed hash of it. Ports in
 * host order, addresses in network order, read by user space only to be hashed. */
struct net_trace_tcp_event {
	__u32 type;           /* NET_TRACE_EVENT_TCP_STATE, _TCP_RESET_SENT or _TCP_RESET_RECEIVED */
	__u32 tgid;           /* the socket's owner; 0 (unattributed) when unknown, filter off only */
	__u32 tid;            /* 0: attributed through the owner, never the current thread */
	__s32 oldstate;       /* state changes: TCP state before; resets: the socket's state */
	__s32 newstate;       /* state changes: TCP state after; resets: -1 */
	__u16 family;
	__u16 protocol;       /* IPPROTO_TCP */
	__u16 sport;
	__u16 dport;
	__u32 pad;
	__u64 ts_ns;
	__u64 duration_ns;    /* SYN_SENT -> ESTABLISHED: connect latency; else 0 */
	__u64 start_time_ns;  /* start_boottime of the owner's leader; 0 when unattributed */
	__u64 sock;           /* struct sock address; 0 for a reset sent without a socket */
	__u64 sock_born_ns;   /* when this socket was first seen: sock is reused after a close, the
	                       * pair (sock, sock_born_ns) is one connection */
	__u8 saddr[NET_TRACE_ADDR_LEN];
	__u8 daddr[NET_TRACE_ADDR_LEN];
	char comm[NET_TRACE_COMM_LEN];
};

/* The last thread of a traced process exited. */
struct net_trace_exit_event {
	__u32 type;           /* NET_TRACE_EVENT_EXIT */
	__u32 tgid;
	__u64 ts_ns;
	__u64 start_time_ns;  /* start_boottime of the leader: the process identity */
	__s32 exit_status;    /* wait(2) status: exit code << 8, or the terminating signal */
	__u32 pad;
	char comm[NET_TRACE_COMM_LEN];
};

/* A traced thread returned from a function probed by a uprobe/uretprobe pair. The probe id is
 * the attach cookie user space gave both programs; it maps it back to binary and symbol. No
 * arguments, no memory of the process: only the timing and the return register. */
struct net_trace_uprobe_event {
	__u32 type;           /* NET_TRACE_EVENT_UPROBE */
	__u32 tgid;
	__u32 tid;
	__u32 probe_id;       /* attach cookie: 1 + index of the target in the capture's list */
	__u64 ts_ns;          /* bpf_ktime_get_ns() at return */
	__u64 duration_ns;    /* entry to return of this thread's innermost call */
	__u64 start_time_ns;  /* start_boottime of the thread-group leader */
	__s64 ret;            /* the function's return register (rax on x86_64) */
	char comm[NET_TRACE_COMM_LEN];
	__s32 user_stack_id;  /* id in stack_traces, or -1 */
	__s32 kernel_stack_id;
};

/* A traced thread was off the CPU for at least offcpu_min_ns (sched:sched_switch, out to in). The
 * stacks were taken when it left the CPU. */
struct net_trace_offcpu_event {
	__u32 type;           /* NET_TRACE_EVENT_OFF_CPU */
	__u32 tgid;
	__u32 tid;
	__u32 prev_state;     /* sched_switch prev_state when it left: 0 or TASK_REPORT_MAX (0x100 on
	                       * this kernel) runnable/preempted, 1 interruptible, 2 uninterruptible */
	__u64 ts_ns;          /* back on the CPU */
	__u64 duration_ns;    /* off the CPU */
	__u64 start_time_ns;  /* start_boottime of the thread-group leader */
	char comm[NET_TRACE_COMM_LEN];
	__s32 user_stack_id;
	__s32 kernel_stack_id;
	__u64 leaf_return;    /* as in net_trace_syscall_event */
};

/* A traced process forked a new process (not a thread). */
struct net_trace_fork_event {
	__u32 type;           /* NET_TRACE_EVENT_FORK */
	__u32 tgid;           /* the parent */
	__u32 child_tgid;
	__u32 pad;
	__u64 ts_ns;
	__u64 start_time_ns;  /* start_boottime of the parent's leader */
	__u64 child_start_time_ns; /* start_boottime of the child (its own leader) */
	char comm[NET_TRACE_COMM_LEN];
};

/* Frames per stack_traces entry. */
#define NET_TRACE_STACK_DEPTH 127

#endif

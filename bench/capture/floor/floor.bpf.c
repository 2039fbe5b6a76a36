// SPDX-License-Identifier: GPL-2.0
/* The floor of the overhead benchmark: one count-only program per tracepoint tracefix attaches in
 * any mode. floor.c attaches exactly the tracepoints a mode attached (the probe list the capture
 * reported), so a mode's loss beside its floor's is what tracefix's programs and agent add beyond
 * the kernel's dispatch of those tracepoints. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} runs SEC(".maps");

static __always_inline int bump(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&runs, &zero);
	if (n)
		*n += 1;
	return 0;
}

#define COUNT(section, name)                                                      \
	SEC(section)                                                              \
	int name(void *ctx)                                                       \
	{                                                                         \
		return bump();                                                    \
	}

#define SYSCALL(name)                                                             \
	COUNT("tracepoint/syscalls/sys_enter_" #name, enter_##name)              \
	COUNT("tracepoint/syscalls/sys_exit_" #name, exit_##name)

SYSCALL(connect)
SYSCALL(accept)
SYSCALL(accept4)
SYSCALL(sendto)
SYSCALL(recvfrom)
SYSCALL(sendmsg)
SYSCALL(recvmsg)
SYSCALL(read)
SYSCALL(write)
SYSCALL(readv)
SYSCALL(writev)
SYSCALL(shutdown)
SYSCALL(close)
SYSCALL(openat)

COUNT("tracepoint/raw_syscalls/sys_enter", raw_enter)
COUNT("tracepoint/raw_syscalls/sys_exit", raw_exit)
COUNT("tracepoint/tcp/tcp_retransmit_skb", tcp_retransmit)
COUNT("tracepoint/tcp/tcp_send_reset", tcp_send_reset)
COUNT("tracepoint/tcp/tcp_receive_reset", tcp_receive_reset)
COUNT("tracepoint/sched/sched_process_exec", process_exec)
COUNT("tracepoint/sched/sched_process_exit", process_exit)
COUNT("tracepoint/sched/sched_process_fork", process_fork)
COUNT("raw_tracepoint/sched_process_fork", process_fork_raw)
COUNT("tracepoint/sched/sched_switch", sched_switch)

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(sock_state, const struct sock *sk, const int oldstate, const int newstate)
{
	return bump();
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(sock_recv, struct sock *sk, int ret, int flags)
{
	return bump();
}

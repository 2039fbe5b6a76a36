// SPDX-License-Identifier: GPL-2.0
/* Loads fine, but names a tracepoint no kernel has: attaching it must fail with a clear error. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tracepoint/tracefix_none/no_such_event")
int on_nothing(void *ctx)
{
	return 0;
}

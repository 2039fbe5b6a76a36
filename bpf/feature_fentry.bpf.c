// SPDX-License-Identifier: GPL-2.0
/* Feature probe, never attached: whether this kernel loads fentry (BPF trampoline) programs.
 * tracefix uses tracepoints only; this object lets it say "unsupported on this kernel" with
 * libbpf's own reason instead of guessing. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("fentry/vfs_read")
int BPF_PROG(probe_fentry)
{
	return 0;
}

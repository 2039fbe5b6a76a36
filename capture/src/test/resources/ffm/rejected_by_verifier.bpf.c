/* A program the verifier must reject: it dereferences a map lookup without a NULL check. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, long);
} values SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int unchecked_lookup(void *ctx)
{
	int key = 0;
	long *value = bpf_map_lookup_elem(&values, &key);
	return *value;
}

char LICENSE[] SEC("license") = "GPL";

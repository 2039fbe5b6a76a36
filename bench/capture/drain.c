/* The C baseline of the drain benchmark: a plain libbpf consumer of tracefix's own net_trace.bpf.o
 * (through a skeleton bpftool generates from that object), with the same filter, ring size and
 * producer as the Java consumer (dev.tracefix.bench.capture.DrainBench).
 *
 *   drain drain|live RING_BYTES ROUNDS PRODUCER [ARGS...]
 *
 * drain: the producer runs to completion while nobody reads, the probes are detached, then one
 *        ring_buffer__consume is timed: the consumer's own rate.
 * live:  the ring is polled while the producer runs; timed from release to the last record.
 * The producer runs ROUNDS times against the same loaded object (the first Java rounds include
 * JIT warm-up). Prints one line per round: consumer=c mode=... round=... records=... seconds=...
 * records_per_s=... produced=... dropped=... (produced/dropped are cumulative). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "net_trace.h"
#include "net_trace.skel.h"

static long records;
static unsigned long long checksum;
static struct net_trace_event *kept;
static long capacity;

/* Copies each record out of the ring into memory the consumer keeps, as the Java consumer keeps
 * its decoded records until the batch is handed on, so both pay for reading and storing it. */
static int on_record(void *ctx, void *data, size_t size)
{
	if (records == capacity) {
		capacity = capacity ? capacity * 2 : 4096;
		kept = realloc(kept, capacity * sizeof(*kept));
		if (!kept)
			return -1;
	}
	if (size >= sizeof(*kept)) {
		memcpy(&kept[records], data, sizeof(*kept));
		checksum += kept[records].ts_ns;
	}
	records++;
	return 0;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static unsigned long long sum_percpu(int fd)
{
	int cpus = libbpf_num_possible_cpus();
	unsigned long long total = 0, values[cpus];
	for (__u32 type = 0; type < NET_TRACE_EVENT_TYPES; type++) {
		if (bpf_map_lookup_elem(fd, &type, values) != 0)
			continue;
		for (int c = 0; c < cpus; c++)
			total += values[c];
	}
	return total;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s drain|live RING_BYTES ROUNDS PRODUCER [ARGS...]\n", argv[0]);
		return 64;
	}
	int live = strcmp(argv[1], "live") == 0;
	int rounds = atoi(argv[3]);
	struct net_trace_bpf *skel = net_trace_bpf__open();
	if (!skel)
		return fprintf(stderr, "open failed: %s\n", strerror(errno)), 1;
	skel->rodata->filter_enabled = true;
	bpf_map__set_max_entries(skel->maps.events, atoi(argv[2]));
	if (net_trace_bpf__load(skel))
		return fprintf(stderr, "load failed\n"), 1;

	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	if (!rb)
		return fprintf(stderr, "ring_buffer__new failed\n"), 1;
	for (int round = 1; round <= rounds; round++) {
		int gate[2];
		if (pipe(gate))
			return 1;
		pid_t child = fork();
		if (child == 0) {
			char go;
			close(gate[1]);
			if (read(gate[0], &go, 1) != 1)
				_exit(70);
			execv(argv[4], argv + 4);
			_exit(71);
		}
		close(gate[0]);
		__u32 tgid = child;
		__u8 one = 1;
		bpf_map_update_elem(bpf_map__fd(skel->maps.traced_tgids), &tgid, &one, BPF_ANY);
		if (net_trace_bpf__attach(skel))
			return fprintf(stderr, "attach failed\n"), 1;
		records = 0;
		double start = now_s();
		if (write(gate[1], "\n", 1) != 1)
			return 1;
		close(gate[1]);
		int status = 0;
		if (live) {
			while (waitpid(child, &status, WNOHANG) == 0)
				ring_buffer__poll(rb, 100);
			net_trace_bpf__detach(skel);
			ring_buffer__consume(rb);
		} else {
			waitpid(child, &status, 0);
			net_trace_bpf__detach(skel);
			start = now_s();
			ring_buffer__consume(rb);
		}
		double seconds = now_s() - start;
		printf("consumer=c mode=%s round=%d records=%ld seconds=%.4f records_per_s=%.0f "
		       "produced=%llu dropped=%llu exit=%d checksum=%llu\n",
		       argv[1], round, records, seconds, records / seconds,
		       sum_percpu(bpf_map__fd(skel->maps.produced)),
		       sum_percpu(bpf_map__fd(skel->maps.drops)), WEXITSTATUS(status), checksum % 10);
	}
	ring_buffer__free(rb);
	net_trace_bpf__destroy(skel);
	return 0;
}

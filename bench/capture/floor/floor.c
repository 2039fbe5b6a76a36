/* Runs a workload under the floor programs of one tracefix mode: attaches the programs of
 * floor.bpf.o whose sections are listed in PROBES (one per line, as the capture reported its
 * probes; other lines, e.g. uprobes, are ignored), runs COMMAND, detaches, and prints how many
 * sections it attached and how often the programs ran. The workload's own output passes through.
 *   floor OBJECT PROBES COMMAND [ARGS...] */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int listed(const char *section, char **wanted, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(section, wanted[i]) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s OBJECT PROBES COMMAND [ARGS...]\n", argv[0]);
		return 64;
	}
	char *wanted[256];
	int n = 0;
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 65;
	}
	char line[512];
	while (n < 256 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0])
			wanted[n++] = strdup(line);
	}
	fclose(f);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj) != 0) {
		fprintf(stderr, "cannot load %s\n", argv[1]);
		return 66;
	}
	struct bpf_link *links[256];
	int attached = 0;
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj) {
		if (!listed(bpf_program__section_name(prog), wanted, n))
			continue;
		links[attached] = bpf_program__attach(prog);
		if (!links[attached]) {
			fprintf(stderr, "cannot attach %s\n", bpf_program__section_name(prog));
			return 67;
		}
		attached++;
	}
	pid_t child = fork();
	if (child == 0) {
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	int status = 0;
	waitpid(child, &status, 0);
	for (int i = 0; i < attached; i++)
		bpf_link__destroy(links[i]);
	int cpus = libbpf_num_possible_cpus();
	__u64 values[cpus];
	__u32 zero = 0;
	unsigned long long total = 0;
	if (bpf_map__lookup_elem(bpf_object__find_map_by_name(obj, "runs"), &zero, sizeof(zero),
				 values, sizeof(values), 0) == 0)
		for (int i = 0; i < cpus; i++)
			total += values[i];
	printf("floor sections=%d of %d listed, runs=%llu\n", attached, n, total);
	bpf_object__close(obj);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

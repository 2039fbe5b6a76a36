/* The main thread starts a worker and leaves with pthread_exit(); the worker then makes exactly
 * WRITES one-byte write() calls on a UDP socket connected to a receiver on 127.0.0.1 that never
 * reads, and ends the process with exit(0). */
#include <arpa/inet.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int writes;

/* The state letter of the thread-group leader (/proc/self/stat describes the leader). */
static char leader_state(void)
{
	char buf[512];
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	char *end = strrchr(buf, ')');
	return end && end[1] == ' ' ? end[2] : '?';
}

static void *worker(void *unused)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	int receiver = socket(AF_INET, SOCK_DGRAM, 0);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	if (receiver < 0 || s < 0 || bind(receiver, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    getsockname(receiver, (struct sockaddr *)&addr, &len) != 0 ||
	    connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0)
		exit(65);
	/* Write only once the leader has exited (a zombie until the whole group ends). */
	while (leader_state() != 'Z')
		sched_yield();
	for (int i = 0; i < writes; i++)
		if (write(s, "x", 1) != 1)
			exit(66);
	exit(0);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s WRITES\n", argv[0]);
		return 64;
	}
	writes = atoi(argv[1]);
	pthread_t t;
	if (pthread_create(&t, NULL, worker, NULL) != 0)
		return 67;
	pthread_exit(NULL);
}

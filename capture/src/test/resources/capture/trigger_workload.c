/* For a trigger test: calls tracefix_slow_path() every millisecond for argv[1] ms; once argv[2]
 * ms have passed it makes argv[3] connects to 127.0.0.1:argv[4] (a closed port: ECONNREFUSED) as
 * fast as it can, once. Prints "before=N after=M": calls made before and after the burst. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) long tracefix_slow_path(long x)
{
	volatile long sum = 0;
	for (long k = 0; k < 1000; k++)
		sum += k ^ x;
	return sum;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void refused_connects(int count, int port)
{
	struct sockaddr_in addr = {0};
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < count; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
			fprintf(stderr, "port %d is open; the test needs a closed one\n", port);
			exit(3);
		}
		close(fd);
	}
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s TOTAL_MS BURST_AT_MS CONNECTS PORT\n", argv[0]);
		return 2;
	}
	long total_ms = atol(argv[1]), burst_at = atol(argv[2]);
	int connects = atoi(argv[3]), port = atoi(argv[4]);
	long start = now_ms(), before = 0, after = 0, sum = 0;
	int burst_done = 0;
	for (long i = 0; now_ms() - start < total_ms; i++) {
		if (!burst_done && now_ms() - start >= burst_at) {
			refused_connects(connects, port);
			burst_done = 1;
		}
		sum += tracefix_slow_path(i);
		if (burst_done)
			after++;
		else
			before++;
		usleep(1000);
	}
	printf("before=%ld after=%ld sum=%ld\n", before, after, sum);
	return 0;
}

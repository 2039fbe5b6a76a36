/* The traced workload of the capture benchmarks: exactly N write() calls of one byte on a UDP
 * socket connected to a receiver on 127.0.0.1 that never reads (full queue: the kernel drops the
 * datagram, the call never waits). Each call is one socket_write record. With RATE, the calls are
 * paced to RATE per second (checked every 100 calls against CLOCK_MONOTONIC, sleeping until due)
 * instead of made as fast as possible. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s N [RATE]\n", argv[0]);
		return 64;
	}
	long n = atol(argv[1]);
	long rate = argc == 3 ? atol(argv[2]) : 0;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	int receiver = socket(AF_INET, SOCK_DGRAM, 0);
	if (receiver < 0 || bind(receiver, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    getsockname(receiver, (struct sockaddr *)&addr, &len) != 0)
		return 65;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0)
		return 66;
	for (long i = 0; i < n; i++) {
		if (rate > 0 && i % 100 == 0) {
			long long due_ns = (long long)start.tv_sec * 1000000000LL + start.tv_nsec +
					   (long long)i * 1000000000LL / rate;
			struct timespec due = { .tv_sec = due_ns / 1000000000LL,
						.tv_nsec = due_ns % 1000000000LL };
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL);
		}
		if (write(s, "x", 1) != 1)
			return 67;
	}
	return 0;
}

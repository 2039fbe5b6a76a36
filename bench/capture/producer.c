/* The traced workload of the capture benchmarks: exactly N write() calls of one byte on a UDP
 * socket connected to a receiver on 127.0.0.1 that never reads (full queue: the kernel drops the
 * datagram, the call never waits). Each call is one socket_write record. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s N\n", argv[0]);
		return 64;
	}
	long n = atol(argv[1]);
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
	for (long i = 0; i < n; i++)
		if (write(s, "x", 1) != 1)
			return 67;
	return 0;
}

/* Floods the ring buffer: makes exactly WRITES write() calls and SENDTOS sendto() calls of one
 * byte on a UDP socket connected to a receiver on 127.0.0.1 that never reads (the kernel drops
 * datagrams at the full receive queue, so no call ever waits for a reader), then creates DONEFILE
 * and exits 0. Exits non-zero if any call fails. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s WRITES SENDTOS DONEFILE\n", argv[0]);
		return 64;
	}
	int writes = atoi(argv[1]), sendtos = atoi(argv[2]);
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
	for (int i = 0; i < writes; i++)
		if (write(s, "x", 1) != 1)
			return 67;
	for (int i = 0; i < sendtos; i++)
		if (sendto(s, "y", 1, 0, (struct sockaddr *)&addr, sizeof(addr)) != 1)
			return 68;
	int done = open(argv[3], O_WRONLY | O_CREAT | O_EXCL, 0600);
	return done < 0 ? 69 : 0;
}

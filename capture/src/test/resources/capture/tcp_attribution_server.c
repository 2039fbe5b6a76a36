/* The --pid target of TcpAttributionCaptureTest. Listens on 127.0.0.1 at once (listener A, before
 * any capture starts) and prints "A PORT"; after a line on stdin it listens again (listener B,
 * while traced) and prints "B PORT". Then serves ACCEPT_A connections on A (accepted, by accept()
 * and accept4() in turn, and closed at once, never read: the process touches those sockets only
 * through accept and close) and ACCEPT_B on B (read to EOF, then closed), and exits. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_loopback(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	socklen_t len = sizeof(addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    getsockname(s, (struct sockaddr *)&addr, &len) != 0 || listen(s, 128) != 0)
		return -1;
	return s;
}

static int port_of(int s)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	return getsockname(s, (struct sockaddr *)&a, &len) == 0 ? ntohs(a.sin_port) : -1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s ACCEPT_A ACCEPT_B\n", argv[0]);
		return 64;
	}
	int want_a = atoi(argv[1]), want_b = atoi(argv[2]);
	int a = listen_loopback();
	if (a < 0)
		return 65;
	printf("A %d\n", port_of(a));
	fflush(stdout);
	char line[64];
	if (!fgets(line, sizeof(line), stdin))
		return 66;
	int b = listen_loopback();
	if (b < 0)
		return 67;
	printf("B %d\n", port_of(b));
	fflush(stdout);
	int got_a = 0, got_b = 0;
	while (got_a < want_a || got_b < want_b) {
		struct pollfd fds[2] = { { .fd = a, .events = POLLIN }, { .fd = b, .events = POLLIN } };
		if (poll(fds, 2, 30000) <= 0)
			return 68;
		if (fds[0].revents & POLLIN) {
			int s = got_a % 2 ? accept4(a, NULL, NULL, SOCK_CLOEXEC) : accept(a, NULL, NULL);
			if (s < 0 || close(s) != 0)
				return 69;
			got_a++;
		}
		if (fds[1].revents & POLLIN) {
			int s = accept(b, NULL, NULL);
			char buf[256];
			ssize_t n;
			if (s < 0)
				return 70;
			while ((n = read(s, buf, sizeof(buf))) > 0)
				;
			if (n != 0 || close(s) != 0)
				return 71;
			got_b++;
		}
	}
	return 0;
}

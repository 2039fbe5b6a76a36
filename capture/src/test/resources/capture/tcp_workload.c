/* One TCP connection to a listener on 127.0.0.1 (connected, accepted, both ends closed cleanly),
 * then REFUSED connect() calls to a closed port on 127.0.0.1, each refused with a reset. Exits
 * non-zero on any surprise. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int bound_socket(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)addr, sizeof(*addr)) != 0 ||
	    getsockname(s, (struct sockaddr *)addr, &len) != 0)
		return -1;
	return s;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s REFUSED\n", argv[0]);
		return 64;
	}
	int refused = atoi(argv[1]);
	struct sockaddr_in addr = { .sin_family = AF_INET };
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	int listener = bound_socket(&addr);
	if (listener < 0 || listen(listener, 1) != 0)
		return 65;
	int client = socket(AF_INET, SOCK_STREAM, 0);
	if (client < 0 || connect(client, (struct sockaddr *)&addr, sizeof(addr)) != 0)
		return 66;
	int server = accept(listener, NULL, NULL);
	char c;
	if (server < 0 || close(client) != 0 || read(server, &c, 1) != 0 || close(server) != 0 ||
	    close(listener) != 0)
		return 67;

	struct sockaddr_in closed = { .sin_family = AF_INET };
	inet_pton(AF_INET, "127.0.0.1", &closed.sin_addr);
	int probe = bound_socket(&closed);
	if (probe < 0 || close(probe) != 0)
		return 68;
	for (int i = 0; i < refused; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0 || connect(s, (struct sockaddr *)&closed, sizeof(closed)) != -1 ||
		    errno != ECONNREFUSED)
			return 69;
		close(s);
	}
	return 0;
}

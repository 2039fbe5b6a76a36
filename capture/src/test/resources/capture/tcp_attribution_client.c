/* The traced command of TcpAttributionCaptureTest. First OWN connections to its own listener on
 * 127.0.0.1 (connect, write, shut down writing; accept, read to EOF, close; read to EOF, close),
 * then PEER connections to 127.0.0.1:PEER_PORT, a server it does not own (write, shut down
 * writing, read to EOF, close). Every connection ends only after both sides closed. Writes
 * "listen PORT", "own PORT" and "peer PORT" lines (local ports) to PORTFILE. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int local_port(int s)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	return getsockname(s, (struct sockaddr *)&a, &len) == 0 ? ntohs(a.sin_port) : -1;
}

static int drain(int s)
{
	char buf[256];
	ssize_t n;
	while ((n = read(s, buf, sizeof(buf))) > 0)
		;
	return n == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s PEER_PORT OWN PEER PORTFILE\n", argv[0]);
		return 64;
	}
	int own = atoi(argv[2]), peer = atoi(argv[3]);
	FILE *ports = fopen(argv[4], "w");
	if (!ports)
		return 65;
	struct sockaddr_in addr = { .sin_family = AF_INET };
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	socklen_t len = sizeof(addr);
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    getsockname(listener, (struct sockaddr *)&addr, &len) != 0 || listen(listener, 16) != 0)
		return 66;
	fprintf(ports, "listen %d\n", ntohs(addr.sin_port));
	for (int i = 0; i < own; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
		    write(c, "own", 3) != 3 || shutdown(c, SHUT_WR) != 0)
			return 67;
		int s = accept(listener, NULL, NULL);
		if (s < 0 || drain(s) != 0 || close(s) != 0 || drain(c) != 0)
			return 68;
		fprintf(ports, "own %d\n", local_port(c));
		close(c);
	}
	close(listener);

	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])) };
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	for (int i = 0; i < peer; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&to, sizeof(to)) != 0 ||
		    write(c, "peer", 4) != 4 || shutdown(c, SHUT_WR) != 0 || drain(c) != 0)
			return 69;
		fprintf(ports, "peer %d\n", local_port(c));
		close(c);
	}
	return fclose(ports) == 0 ? 0 : 70;
}

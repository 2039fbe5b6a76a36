/* Connects a TCP socket to its own listener on 127.0.0.1 and makes exactly WRITES write() calls
 * (1 byte each) and WRITEVS writev() calls (3 bytes each) on it, FILE_WRITES write() calls
 * (5 bytes each) to the regular file FILE, then EPIPES write() calls on a second socket whose
 * peer has closed and which is itself shut down for writing (each fails with EPIPE; SIGPIPE is
 * ignored). Writes its pid to PIDFILE. Exits non-zero if any call surprises. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* Connects a client to a fresh listener on 127.0.0.1; returns the client, *peer the accepted end. */
static int connected_pair(int *peer)
{
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    listen(listener, 1) != 0 || getsockname(listener, (struct sockaddr *)&addr, &len) != 0)
		return -1;
	int client = socket(AF_INET, SOCK_STREAM, 0);
	if (client < 0 || connect(client, (struct sockaddr *)&addr, sizeof(addr)) != 0)
		return -1;
	*peer = accept(listener, NULL, NULL);
	close(listener);
	return *peer < 0 ? -1 : client;
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: %s WRITES WRITEVS FILE_WRITES EPIPES FILE PIDFILE\n", argv[0]);
		return 64;
	}
	int writes = atoi(argv[1]), writevs = atoi(argv[2]), file_writes = atoi(argv[3]),
	    epipes = atoi(argv[4]);
	FILE *pidfile = fopen(argv[6], "w");
	if (!pidfile || fprintf(pidfile, "%d\n", (int)getpid()) < 0 || fclose(pidfile) != 0)
		return 65;
	signal(SIGPIPE, SIG_IGN);

	int peer;
	int s = connected_pair(&peer);
	if (s < 0) {
		perror("connect");
		return 66;
	}
	for (int i = 0; i < writes; i++) {
		if (write(s, "x", 1) != 1) {
			perror("write");
			return 67;
		}
	}
	struct iovec iov[2] = { { .iov_base = "ab", .iov_len = 2 }, { .iov_base = "c", .iov_len = 1 } };
	for (int i = 0; i < writevs; i++) {
		if (writev(s, iov, 2) != 3) {
			perror("writev");
			return 68;
		}
	}

	int file = open(argv[5], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (file < 0)
		return 69;
	for (int i = 0; i < file_writes; i++) {
		if (write(file, "yyyyy", 5) != 5)
			return 70;
	}
	close(file);

	int closed_peer;
	int broken = connected_pair(&closed_peer);
	if (broken < 0)
		return 71;
	close(closed_peer);
	if (shutdown(broken, SHUT_WR) != 0)
		return 72;
	for (int i = 0; i < epipes; i++) {
		if (write(broken, "z", 1) != -1 || errno != EPIPE) {
			perror("write on shut-down socket");
			return 73;
		}
	}
	close(broken);
	close(s);
	close(peer);
	return 0;
}

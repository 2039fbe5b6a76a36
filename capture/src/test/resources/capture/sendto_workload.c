/* Makes exactly COUNT successful sendto calls on a UDP socket to 127.0.0.1:PORT, then BAD calls
 * on an invalid fd (EBADF), and writes its pid to PIDFILE. Exits non-zero if any call surprises. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s COUNT BAD PORT PIDFILE\n", argv[0]);
		return 64;
	}
	int count = atoi(argv[1]), bad = atoi(argv[2]), port = atoi(argv[3]);
	FILE *pidfile = fopen(argv[4], "w");
	if (!pidfile || fprintf(pidfile, "%d\n", (int)getpid()) < 0 || fclose(pidfile) != 0)
		return 65;

	int s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return 66;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	for (int i = 0; i < count; i++) {
		if (sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) != 1) {
			perror("sendto");
			return 67;
		}
	}
	for (int i = 0; i < bad; i++) {
		if (sendto(9999, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) != -1 || errno != EBADF)
			return 68;
	}
	close(s);
	return 0;
}

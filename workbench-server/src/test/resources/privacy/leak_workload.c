/* usage: leak_workload PORT VALUE...
 * For every VALUE: prints it on stdout, sends it as a UDP datagram to 127.0.0.1:PORT (sendto) and
 * on a connected socket (write), and, when it can be a file name, creates that file in the
 * working directory and writes the value into it (openat, write, fsync, close). Exits non-zero if
 * a call fails. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int file_name(const char *v)
{
	size_t n = strlen(v);
	return n > 0 && n < 200 && !strchr(v, '/') && !strchr(v, '\n') && strcmp(v, ".") != 0
	       && strcmp(v, "..") != 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: leak_workload PORT VALUE...\n");
		return 64;
	}
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])) };
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	int c = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || c < 0 || connect(c, (struct sockaddr *)&to, sizeof(to)) != 0)
		return 65;
	for (int i = 2; i < argc; i++) {
		size_t n = strlen(argv[i]);
		printf("%s\n", argv[i]);
		if (sendto(s, argv[i], n, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)n)
			return 66;
		if (write(c, argv[i], n) != (ssize_t)n)
			return 67;
		if (!file_name(argv[i]))
			continue;
		int fd = openat(AT_FDCWD, argv[i], O_CREAT | O_WRONLY | O_TRUNC, 0600);
		if (fd < 0 || write(fd, argv[i], n) != (ssize_t)n || fsync(fd) != 0 || close(fd) != 0) {
			perror("file");
			return 68;
		}
	}
	close(s);
	close(c);
	return fflush(stdout) == 0 ? 0 : 69;
}

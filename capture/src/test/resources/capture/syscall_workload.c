/* A known mix of syscalls: READS read() calls of 8 bytes from /dev/zero on fd 100, WRITES write()
 * calls of 5 bytes to /dev/null on fd 101, FUTEXES futex(FUTEX_WAIT) calls on a word that does not
 * hold the expected value (each fails at once with EAGAIN), and REFUSED TCP connect() calls to a
 * closed port on 127.0.0.1 (each fails with ECONNREFUSED). Exits non-zero on any surprise. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s READS WRITES FUTEXES REFUSED\n", argv[0]);
		return 64;
	}
	int reads = atoi(argv[1]), writes = atoi(argv[2]), futexes = atoi(argv[3]),
	    refused = atoi(argv[4]);
	if (dup2(open("/dev/zero", O_RDONLY), 100) != 100 ||
	    dup2(open("/dev/null", O_WRONLY), 101) != 101)
		return 65;
	char buf[8];
	for (int i = 0; i < reads; i++)
		if (read(100, buf, 8) != 8)
			return 66;
	for (int i = 0; i < writes; i++)
		if (write(101, buf, 5) != 5)
			return 67;
	int word = 0;
	for (int i = 0; i < futexes; i++)
		if (syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0) != -1 ||
		    errno != EAGAIN)
			return 68;

	/* A port nobody listens on: bound, read back, closed. */
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	int probe = socket(AF_INET, SOCK_STREAM, 0);
	if (probe < 0 || bind(probe, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    getsockname(probe, (struct sockaddr *)&addr, &len) != 0 || close(probe) != 0)
		return 69;
	for (int i = 0; i < refused; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof(addr)) != -1 ||
		    errno != ECONNREFUSED)
			return 70;
		close(s);
	}
	return 0;
}

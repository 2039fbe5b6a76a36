/* Exact-count generator for default mode (syscall_stats): statically linked, so no loader opens,
 * reads or closes anything, and every call of the stats families is one this program makes.
 * usage: stats_workload WRITES READS MISSING_OPENS BAD_CLOSES REFUSED PORT SLOW_READS SLOW_MS
 *   WRITES writes of 5 bytes to /dev/null, READS reads of 8 bytes from /dev/zero,
 *   MISSING_OPENS openat of a missing file (ENOENT), BAD_CLOSES close(999) (EBADF),
 *   REFUSED connects to 127.0.0.1:PORT (a closed port: ECONNREFUSED), SLOW_READS reads of a pipe
 *   a forked child writes to every SLOW_MS ms (one write each, in the child's own process).
 * Besides those it opens /dev/null and /dev/zero and closes them, a pipe's two ends and each
 * connect's socket. Prints nothing: a write to stdout would be one more write. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 9)
		return 2;
	int writes = atoi(argv[1]), reads = atoi(argv[2]), missing = atoi(argv[3]);
	int bad_closes = atoi(argv[4]), refused = atoi(argv[5]), port = atoi(argv[6]);
	int slow_reads = atoi(argv[7]), slow_ms = atoi(argv[8]);
	char buf[8] = "hello";

	int null_fd = open("/dev/null", O_WRONLY);
	int zero_fd = open("/dev/zero", O_RDONLY);
	if (null_fd < 0 || zero_fd < 0)
		return 3;
	for (int i = 0; i < writes; i++)
		if (write(null_fd, buf, 5) != 5)
			return 4;
	for (int i = 0; i < reads; i++)
		if (read(zero_fd, buf, 8) != 8)
			return 5;
	for (int i = 0; i < missing; i++)
		if (open("/nonexistent/tracefix-stats", O_RDONLY) >= 0)
			return 6;
	for (int i = 0; i < bad_closes; i++)
		if (close(999) == 0)
			return 7;
	struct sockaddr_in addr = {0};
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < refused; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
			return 8;
		close(fd);
	}
	int pipe_fds[2];
	if (pipe(pipe_fds) != 0)
		return 9;
	pid_t child = fork();
	if (child == 0) {
		struct timespec nap = { slow_ms / 1000, (slow_ms % 1000) * 1000000L };
		for (int i = 0; i < slow_reads; i++) {
			nanosleep(&nap, NULL);
			if (write(pipe_fds[1], "x", 1) != 1)
				_exit(10);
		}
		_exit(0);
	}
	close(pipe_fds[1]);
	for (int i = 0; i < slow_reads; i++)
		if (read(pipe_fds[0], buf, 1) != 1)
			return 11;
	int status = 0;
	waitpid(child, &status, 0);
	close(pipe_fds[0]);
	close(null_fd);
	close(zero_fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 12;
}

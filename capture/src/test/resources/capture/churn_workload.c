/* Process churn for default mode (syscall_stats): statically linked, so every call of the stats
 * families is one this program makes. usage: churn_workload CHILDREN WRITES PAUSE_US
 * Opens /dev/null and /dev/zero, then forks CHILDREN children one after another, each making
 * WRITES writes of 5 bytes to /dev/null, one read of 8 bytes from /dev/zero and one close(999)
 * (EBADF) before it exits; the parent waits for each and pauses PAUSE_US between them. Each child
 * is three aggregate keys (write, read, close/EBADF) that no later call adds to. Prints nothing. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	int children = atoi(argv[1]), writes = atoi(argv[2]), pause_us = atoi(argv[3]);
	int null_fd = open("/dev/null", O_WRONLY);
	int zero_fd = open("/dev/zero", O_RDONLY);
	if (null_fd < 0 || zero_fd < 0)
		return 3;
	struct timespec pause = {0, pause_us * 1000L};
	for (int c = 0; c < children; c++) {
		pid_t pid = fork();
		if (pid < 0)
			return 4;
		if (pid == 0) {
			char buf[8] = "hello";
			for (int i = 0; i < writes; i++)
				if (write(null_fd, buf, 5) != 5)
					_exit(5);
			if (read(zero_fd, buf, 8) != 8)
				_exit(6);
			if (close(999) == 0)
				_exit(7);
			_exit(0);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return 8;
		nanosleep(&pause, NULL);
	}
	return 0;
}

/* main -> outer_step -> inner_step -> write(2), N times, on fd 77 (/dev/null). Built with -O0
 * -fno-omit-frame-pointer so a frame-pointer walk sees every step. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define FD 77

__attribute__((noinline)) void inner_step(void)
{
	if (write(FD, "x", 1) != 1)
		exit(2);
}

__attribute__((noinline)) void outer_step(void)
{
	inner_step();
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0 || dup2(fd, FD) != FD)
		return 1;
	for (int i = 0; i < n; i++)
		outer_step();
	/* User frames are symbolized from /proc/PID/maps while the process lives: stay a moment so
	 * the capture reads its events before it exits. */
	sleep(1);
	return 0;
}

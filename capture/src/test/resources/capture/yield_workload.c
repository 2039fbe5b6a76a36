/* Calls sched_yield(2) exactly N times (argv[1]) through syscall(2): a syscall nothing else in a
 * process start calls, so a capture of only sched_yield sees exactly these N. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	for (long i = 0; i < n; i++)
		syscall(SYS_sched_yield);
	return 0;
}

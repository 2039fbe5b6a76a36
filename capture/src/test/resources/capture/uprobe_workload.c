/* Calls tracefix_work() exactly argv[1] times and, when built with -DWITH_LIB and linked against
 * libuprobe_lib.so, tracefix_lib_work() exactly argv[2] times. */
#include <stdio.h>
#include <stdlib.h>

#ifdef WITH_LIB
long tracefix_lib_work(long x);
#endif

/* noinline and a side effect the compiler cannot drop: one real call per iteration. */
__attribute__((noinline)) long tracefix_work(long x)
{
	volatile long sum = 0;
	for (long k = 0; k < 1000; k++)
		sum += k ^ x;
	return 2 * x + 1;
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? atol(argv[1]) : 0;
	long total = 0;
	for (long i = 0; i < calls; i++)
		total += tracefix_work(i);
#ifdef WITH_LIB
	long lib_calls = argc > 2 ? atol(argv[2]) : 0;
	for (long i = 0; i < lib_calls; i++)
		total += tracefix_lib_work(i);
#endif
	printf("%ld\n", total);
	return 0;
}

/* A shared-library function for the uprobe tests: returns 3x + 7. */
__attribute__((noinline)) long tracefix_lib_work(long x)
{
	volatile long sum = 0;
	for (long k = 0; k < 1000; k++)
		sum += k * x;
	return 3 * x + 7;
}

/* argv[1] = K: the main thread sleeps K times for 20 ms. argv[2] = M: then forks M children (each
 * exits at once, reaped) and starts two threads (joined). */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) void nap_step(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	while (nanosleep(&ts, &ts) != 0)
		;
}

static void *idle_thread(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	int k = argc > 1 ? atoi(argv[1]) : 0;
	int m = argc > 2 ? atoi(argv[2]) : 0;
	for (int i = 0; i < k; i++)
		nap_step();
	for (int i = 0; i < m; i++) {
		pid_t child = fork();
		if (child == 0)
			_exit(0);
		waitpid(child, NULL, 0);
	}
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, idle_thread, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	/* Stay a moment (not in nanosleep: only the naps sleep there) so the capture reads the
	 * process's maps while it lives. */
	poll(NULL, 0, 1000);
	return 0;
}

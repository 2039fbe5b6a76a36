/* Renames itself and its threads after values the test plants, calls a function whose name the
 * test plants, and sends a few UDP datagrams from each, so each name has events to be seen by.
 * Usage: identity_workload PORT PROCESS_NAME THREAD_NAME PROC_COMM_NAME */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef PROBED_SYMBOL
#error "compile with -DPROBED_SYMBOL=name"
#endif

static int port;
static const char *thread_name;
static const char *proc_comm_name;

static void send_some(int n)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < n; i++)
		sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
	close(fd);
}

__attribute__((noinline)) int PROBED_SYMBOL(int x)
{
	__asm__ volatile("" ::: "memory");
	return x + 1;
}

static void *named_by_pthread(void *arg)
{
	pthread_setname_np(pthread_self(), thread_name);
	send_some(3);
	return NULL;
}

static void *named_through_proc(void *arg)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", gettid());
	int fd = open(path, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, proc_comm_name, strlen(proc_comm_name)) < 0)
			perror("comm");
		close(fd);
	}
	send_some(3);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	port = atoi(argv[1]);
	thread_name = argv[3];
	proc_comm_name = argv[4];
	prctl(PR_SET_NAME, argv[2]);
	volatile int sum = 0;
	for (int i = 0; i < 5; i++)
		sum += PROBED_SYMBOL(i);
	send_some(3);
	pthread_t a, b;
	pthread_create(&a, NULL, named_by_pthread, NULL);
	pthread_join(a, NULL);
	pthread_create(&b, NULL, named_through_proc, NULL);
	pthread_join(b, NULL);
	return 0;
}

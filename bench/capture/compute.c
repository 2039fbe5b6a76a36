/* The compute-heavy workload of the overhead benchmark, beside echo.c (nothing but syscalls) and
 * reqresp.c (a file read and some CPU per request): a TCP request/response service on 127.0.0.1
 * in one process tree (the server is a forked child) whose requests cost mostly CPU. Per 64-byte
 * request the server hashes a 4 KiB buffer in memory ROUNDS times (FNV-1a; ROUNDS 4, about
 * 40 us of CPU here) and answers 64 bytes: per request one read and one write on each side and
 * no file I/O, so the traced syscalls are few next to the work. For SECONDS the client sends
 * requests over CONNS connections served round-robin by one thread each.
 * Prints: requests=... seconds=... requests_per_s=... */
#include <arpa/inet.h>
#include <stdint.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MSG 64
#define PAGE 4096
#define ROUNDS 4

static unsigned char page[PAGE];

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int read_full(int fd, char *buf, int n)
{
	for (int got = 0; got < n;) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

/* The work of one request: hash the buffer ROUNDS times, seeded by the request (FNV-1a). */
static int serve(char *buf)
{
	uint32_t h = 2166136261u ^ (unsigned char)buf[0];
	for (int round = 0; round < ROUNDS; round++)
		for (int i = 0; i < PAGE; i++)
			h = (h ^ page[i]) * 16777619u;
	__builtin_memcpy(buf, &h, sizeof(h));
	return 0;
}

static void *respond(void *arg)
{
	int fd = (int)(long)arg;
	char buf[MSG];
	while (read_full(fd, buf, MSG) == 0)
		if (serve(buf) != 0 || write(fd, buf, MSG) != MSG)
			break;
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s SECONDS CONNS\n", argv[0]);
		return 64;
	}
	for (int i = 0; i < PAGE; i++)
		page[i] = (unsigned char)(i * 131 + 7);
	double seconds = atof(argv[1]);
	int conns = atoi(argv[2]);
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    listen(listener, conns) != 0 || getsockname(listener, (struct sockaddr *)&addr, &len) != 0)
		return 65;
	pid_t server = fork();
	if (server == 0) {
		for (int i = 0; i < conns; i++) {
			int fd = accept(listener, NULL, NULL);
			if (fd < 0)
				_exit(66);
			pthread_t t;
			pthread_create(&t, NULL, respond, (void *)(long)fd);
		}
		pthread_exit(NULL);
	}
	close(listener);
	int fds[conns];
	for (int i = 0; i < conns; i++) {
		int one = 1;
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(fds[i], (struct sockaddr *)&addr, sizeof(addr)) != 0)
			return 67;
	}
	char buf[MSG] = { 0 };
	long requests = 0;
	double start = now_s(), end = start + seconds, t = start;
	while (t < end) {
		for (int i = 0; i < conns; i++) {
			if (write(fds[i], buf, MSG) != MSG || read_full(fds[i], buf, MSG) != 0)
				return 68;
			requests++;
		}
		if ((requests & 255) < (unsigned)conns)
			t = now_s();
	}
	t = now_s();
	for (int i = 0; i < conns; i++)
		close(fds[i]);
	waitpid(server, NULL, 0);
	printf("requests=%ld seconds=%.3f requests_per_s=%.0f\n", requests, t - start,
	       requests / (t - start));
	return 0;
}

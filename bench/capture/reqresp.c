/* The realistic workload of the overhead benchmark, next to echo.c (the worst case: nothing but
 * syscalls): a TCP request/response server and a client on 127.0.0.1 in one process tree (the
 * server is a forked child). Per 64-byte request the server opens, reads and closes a 4 KiB file
 * (FILE), checksums it PASSES times (about 20-50 us of CPU here) and answers 64 bytes. For SECONDS
 * the client sends requests over CONNS connections served round-robin by one thread each.
 * Prints: requests=... seconds=... requests_per_s=... */
#include <arpa/inet.h>
#include <fcntl.h>
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
#define PASSES 8

static const char *file;

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

/* The work of one request: read the file, checksum it PASSES times (FNV-1a), answer. */
static int serve(char *buf)
{
	unsigned char page[PAGE];
	int f = open(file, O_RDONLY);
	if (f < 0)
		return -1;
	ssize_t n = read(f, page, PAGE);
	close(f);
	if (n <= 0)
		return -1;
	uint32_t h = 2166136261u;
	for (int pass = 0; pass < PASSES; pass++)
		for (ssize_t i = 0; i < n; i++)
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
	if (argc != 4) {
		fprintf(stderr, "usage: %s SECONDS CONNS FILE\n", argv[0]);
		return 64;
	}
	file = argv[3];
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

/* The untraced neighbour of TcpAttributionCaptureTest: a listener on 127.0.0.1 that serves anyone
 * (each connection read to EOF, then closed), and a client thread that keeps connecting to it
 * (write a token, shut down writing, read to EOF, close) until SIGTERM, then prints how many
 * connections it made. Its port goes to PORTFILE (written whole, then renamed) once it listens. */
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in addr = { .sin_family = AF_INET };
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void drain(int s)
{
	char buf[256];
	while (read(s, buf, sizeof(buf)) > 0)
		;
}

static void *serve(void *listener)
{
	for (;;) {
		int s = accept(*(int *)listener, NULL, NULL);
		if (s < 0)
			continue;
		drain(s);
		close(s);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PORTFILE\n", argv[0]);
		return 64;
	}
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	socklen_t len = sizeof(addr);
	static int listener;
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    getsockname(listener, (struct sockaddr *)&addr, &len) != 0 || listen(listener, 128) != 0)
		return 65;
	pthread_t server;
	if (pthread_create(&server, NULL, serve, &listener) != 0)
		return 66;
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	FILE *f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", ntohs(addr.sin_port)) < 0 || fclose(f) != 0 ||
	    rename(tmp, argv[1]) != 0)
		return 67;
	signal(SIGTERM, on_term);
	long made = 0;
	for (; !stop; made++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
		    write(s, "neighbour", 9) != 9 || shutdown(s, SHUT_WR) != 0) {
			if (stop) /* a call cut short by the signal */
				break;
			return 68;
		}
		drain(s);
		close(s);
		usleep(100); /* thousands a second, without taking a whole CPU */
	}
	printf("%ld\n", made);
	return 0;
}

/* An exact-count workload for the capture CLI tests: counted_workload CALLS REFUSED PORT
 * calls counted_work() CALLS times (a uprobe target), writing one byte to /dev/null per call
 * (a syscall) and sleeping 2 ms after every 10th (an off-CPU span); then makes REFUSED connects
 * to 127.0.0.1:PORT (a closed port: ECONNREFUSED) as fast as it can, and sleeps 1.2 s so a
 * trigger's first second is over before it exits. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

__attribute__((noinline)) long counted_work(long x)
{
	volatile long sum = 0;
	for (long k = 0; k < 2000; k++)
		sum += k ^ x;
	return sum;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	int calls = atoi(argv[1]), refused = atoi(argv[2]), port = atoi(argv[3]);
	int null = open("/dev/null", O_WRONLY);
	for (int i = 0; i < calls; i++) {
		counted_work(i);
		if (write(null, "x", 1) != 1)
			return 3;
		if (i % 10 == 0)
			usleep(2000);
	}
	struct sockaddr_in addr = {0};
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < refused; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
			return 4;
		close(fd);
	}
	if (refused > 0)
		usleep(1200000);
	return 0;
}

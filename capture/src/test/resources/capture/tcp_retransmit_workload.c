/* Connects to itself over TCP on 127.0.0.1:PORT, sends one data segment with send() (which the
 * test's nftables rule drops, so the kernel retransmits it), waits until TCP_INFO reports at least
 * WANT retransmissions, prints that count and exits. Run inside a throwaway network namespace. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s PORT WANT\n", argv[0]);
		return 64;
	}
	int port = atoi(argv[1]), want = atoi(argv[2]);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);

	int listener = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(listener, 1))
		return 65;
	int client = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(client, (struct sockaddr *)&addr, sizeof(addr)))
		return 66;
	int server = accept(listener, NULL, NULL);
	if (server < 0)
		return 67;

	char data[200];
	memset(data, 'x', sizeof(data));
	if (send(client, data, sizeof(data), 0) != (ssize_t)sizeof(data))
		return 68;

	/* Poll the kernel's own counter; give up after about 60 s. */
	struct tcp_info info;
	for (int i = 0; i < 6000; i++) {
		socklen_t len = sizeof(info);
		if (getsockopt(client, IPPROTO_TCP, TCP_INFO, &info, &len))
			return 69;
		if ((int)info.tcpi_total_retrans >= want) {
			printf("%u\n", info.tcpi_total_retrans);
			fflush(stdout);
			return 0;
		}
		usleep(10000);
	}
	return 70;
}

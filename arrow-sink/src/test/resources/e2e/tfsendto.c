/* Workload for the end-to-end capture test: exactly N sendto calls to a UDP socket on loopback.
 * Usage: tfsendto N PIDFILE. Writes its pid to PIDFILE so the test can prove the pid never
 * reaches the store. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s N PIDFILE\n", argv[0]);
    return 64;
  }
  long n = strtol(argv[1], NULL, 10);
  FILE *pidfile = fopen(argv[2], "w");
  if (pidfile == NULL || fprintf(pidfile, "%d\n", (int)getpid()) < 0 || fclose(pidfile) != 0) {
    perror("pidfile");
    return 65;
  }
  int rx = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (rx < 0 || bind(rx, (struct sockaddr *)&addr, sizeof addr) != 0 ||
      getsockname(rx, (struct sockaddr *)&addr, &len) != 0) {
    perror("receiver");
    return 66;
  }
  int tx = socket(AF_INET, SOCK_DGRAM, 0);
  const char payload[] = "tracefix-payload";
  for (long i = 0; i < n; i++) {
    /* A full receive buffer drops datagrams on loopback but sendto still succeeds. */
    if (sendto(tx, payload, sizeof payload, 0, (struct sockaddr *)&addr, sizeof addr) < 0) {
      perror("sendto");
      return 67;
    }
  }
  return 0;
}

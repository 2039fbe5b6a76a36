/* A 32-bit program without libc: its syscalls go through int $0x80 with i386 numbers, which the
 * x86_64 table reads differently (i386 read = 3 is close there, getpid = 20 is writev). Makes
 * READS read(0, buf, 0) and GETPIDS getpid() calls, then exits. Build with
 * -m32 -nostdlib -static -fno-pie -no-pie. */
#define READS 25
#define GETPIDS 15

static int sys3(int nr, int a, int b, int c)
{
	int ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

void _start(void)
{
	static char buf[1];
	for (int i = 0; i < READS; i++)
		sys3(3, 0, (int)buf, 0); /* i386 read */
	for (int i = 0; i < GETPIDS; i++)
		sys3(20, 0, 0, 0); /* i386 getpid */
	sys3(1, 0, 0, 0); /* i386 exit */
}

package dev.tracefix.capture.pipeline;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl) for the syscalls tracefix can
 * name, and whether their first argument is an fd.
 */
public final class SyscallTable {
  /** One syscall: its x86_64 number and whether argument 0 is a file descriptor. */
  public record Syscall(int nr, String name, boolean arg0IsFd) {}

  private static final Map<String, Syscall> BY_NAME = new LinkedHashMap<>();
  private static final Map<Integer, Syscall> BY_NR = new LinkedHashMap<>();

  private static void fd(int nr, String name) {
    add(new Syscall(nr, name, true));
  }

  private static void plain(int nr, String name) {
    add(new Syscall(nr, name, false));
  }

  private static void add(Syscall s) {
    BY_NAME.put(s.name(), s);
    BY_NR.put(s.nr(), s);
  }

  static {
    fd(0, "read");
    fd(1, "write");
    plain(2, "open");
    fd(3, "close");
    plain(4, "stat");
    fd(5, "fstat");
    plain(6, "lstat");
    plain(7, "poll");
    fd(8, "lseek");
    plain(9, "mmap");
    fd(16, "ioctl");
    fd(17, "pread64");
    fd(18, "pwrite64");
    fd(19, "readv");
    fd(20, "writev");
    plain(22, "pipe");
    plain(23, "select");
    plain(24, "sched_yield");
    fd(32, "dup");
    plain(33, "dup2");
    plain(35, "nanosleep");
    fd(40, "sendfile");
    plain(41, "socket");
    fd(42, "connect");
    fd(43, "accept");
    fd(44, "sendto");
    fd(45, "recvfrom");
    fd(46, "sendmsg");
    fd(47, "recvmsg");
    fd(48, "shutdown");
    fd(49, "bind");
    fd(50, "listen");
    fd(51, "getsockname");
    fd(52, "getpeername");
    plain(53, "socketpair");
    fd(54, "setsockopt");
    fd(55, "getsockopt");
    plain(56, "clone");
    plain(57, "fork");
    plain(59, "execve");
    plain(61, "wait4");
    fd(72, "fcntl");
    fd(74, "fsync");
    fd(75, "fdatasync");
    fd(77, "ftruncate");
    plain(82, "rename");
    plain(87, "unlink");
    plain(202, "futex");
    fd(217, "getdents64");
    plain(230, "clock_nanosleep");
    fd(232, "epoll_wait");
    fd(233, "epoll_ctl");
    plain(257, "openat");
    plain(262, "newfstatat");
    plain(270, "pselect6");
    plain(271, "ppoll");
    fd(281, "epoll_pwait");
    fd(288, "accept4");
    plain(291, "epoll_create1");
    plain(293, "pipe2");
    fd(295, "preadv");
    fd(296, "pwritev");
    fd(299, "recvmmsg");
    fd(307, "sendmmsg");
    plain(318, "getrandom");
    plain(332, "statx");
    fd(426, "io_uring_enter");
    plain(435, "clone3");
    plain(437, "openat2");
    fd(441, "epoll_pwait2");
  }

  private SyscallTable() {}

  /** The syscall of this name; a USER error listing the known names if there is none. */
  public static Syscall byName(String name) {
    Syscall s = BY_NAME.get(name);
    if (s == null) {
      throw new CaptureException(
          Kind.USER,
          "unknown syscall '" + name + "' (x86_64); known: " + String.join(", ", BY_NAME.keySet()));
    }
    return s;
  }

  /** The name of syscall {@code nr}, or {@code syscall_<nr>} for one this table does not know. */
  public static String nameOf(int nr) {
    Syscall s = BY_NR.get(nr);
    return s == null ? "syscall_" + nr : s.name();
  }

  /** Syscalls whose byte count is their return value (so it lands in {@code bytes}). */
  public static boolean returnsBytes(String name) {
    return switch (name) {
      case "read",
          "write",
          "pread64",
          "pwrite64",
          "readv",
          "writev",
          "preadv",
          "pwritev",
          "sendto",
          "recvfrom",
          "sendmsg",
          "recvmsg",
          "sendfile" ->
          true;
      default -> false;
    };
  }
}

package dev.tracefix.capture.trigger;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The errno names a trigger may watch, with their Linux x86_64 numbers (asm-generic/errno*.h): the
 * failures of network and file I/O an on-call engineer alerts on.
 */
public final class ErrnoCodes {
  private static final Map<String, Integer> BY_NAME = new TreeMap<>();

  static {
    put("EPERM", 1);
    put("ENOENT", 2);
    put("EINTR", 4);
    put("EIO", 5);
    put("EBADF", 9);
    put("EAGAIN", 11);
    put("ENOMEM", 12);
    put("EACCES", 13);
    put("ENFILE", 23);
    put("EMFILE", 24);
    put("ENOSPC", 28);
    put("EPIPE", 32);
    put("EADDRINUSE", 98);
    put("EADDRNOTAVAIL", 99);
    put("ENETDOWN", 100);
    put("ENETUNREACH", 101);
    put("ECONNABORTED", 103);
    put("ECONNRESET", 104);
    put("ENOBUFS", 105);
    put("ENOTCONN", 107);
    put("ETIMEDOUT", 110);
    put("ECONNREFUSED", 111);
    put("EHOSTDOWN", 112);
    put("EHOSTUNREACH", 113);
  }

  private ErrnoCodes() {}

  private static void put(String name, int number) {
    BY_NAME.put(name, number);
  }

  /** The number of {@code name} (upper case), if tracefix knows it. */
  public static Optional<Integer> number(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** Every known name, sorted, for error messages. */
  public static String names() {
    return String.join(", ", BY_NAME.keySet());
  }
}

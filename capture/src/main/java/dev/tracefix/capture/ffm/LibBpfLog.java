package dev.tracefix.capture.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Captures libbpf's log (warnings and info, which include the verifier log on a failed load) so
 * that a failing stage can quote libbpf's own words instead of printing them to stderr.
 */
final class LibBpfLog {
  private static final int LIBBPF_DEBUG = 2;

  /** Enough for a long verifier log; libbpf prints it in a single call. */
  private static final int LINE_BUFFER = 1 << 20;

  /** Keep only the tail: the end of a verifier log names the failing instruction. */
  private static final int KEEP = 256 * 1024;

  private static final StringBuilder LOG = new StringBuilder();
  private static boolean installed;

  private LibBpfLog() {}

  /** Routes libbpf's print callback here, once per JVM. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    try {
      var target =
          MethodHandles.lookup()
              .findStatic(
                  LibBpfLog.class,
                  "print",
                  MethodType.methodType(
                      int.class, int.class, MemorySegment.class, MemorySegment.class));
      MemorySegment stub =
          Linker.nativeLinker()
              .upcallStub(
                  target,
                  FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
                  Arena.global());
      MemorySegment unusedPrevious = (MemorySegment) LibBpf.H.SET_PRINT.invokeExact(stub);
      installed = true;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot install the libbpf log callback", e);
    }
  }

  /** libbpf_print_fn_t: (level, format, va_list); formats with vsnprintf, never throws. */
  private static int print(int level, MemorySegment format, MemorySegment args) {
    if (level >= LIBBPF_DEBUG) {
      return 0;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(LINE_BUFFER);
      int n = (int) LibBpf.H.VSNPRINTF.invokeExact(buf, (long) LINE_BUFFER, format, args);
      if (n > 0) {
        append(buf.getString(0));
      }
    } catch (Throwable ignored) {
      // An exception must never unwind into libbpf.
    }
    return 0;
  }

  private static synchronized void append(String text) {
    LOG.append(text);
    if (LOG.length() > KEEP) {
      LOG.delete(0, LOG.length() - KEEP);
    }
  }

  /** Everything logged since the last drain. */
  static synchronized String drain() {
    String text = LOG.toString();
    LOG.setLength(0);
    return text;
  }
}

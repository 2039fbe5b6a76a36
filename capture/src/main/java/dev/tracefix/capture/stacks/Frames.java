package dev.tracefix.capture.stacks;

import java.util.Arrays;

/** Frame text shared by the symbolizers. */
final class Frames {
  static final String UNKNOWN = "[unknown]";

  /** Module name of frames named through a JIT's perf map. */
  static final String JIT = "[jit]";

  private Frames() {}

  /**
   * Index of the last element of unsigned-sorted {@code sorted} that is {@code <= key} (unsigned;
   * kernel and user addresses sort the same way as signed within their half), or -1.
   */
  static int floor(long[] sorted, long key) {
    int i = Arrays.binarySearch(sorted, key);
    return i >= 0 ? i : -i - 2;
  }

  static String moduleName(String path) {
    int slash = path.lastIndexOf('/');
    String name = slash < 0 ? path : path.substring(slash + 1);
    // "(deleted)" marks a replaced file; the name is what matters.
    return name.endsWith(" (deleted)") ? name.substring(0, name.length() - 10) : name;
  }
}

package dev.tracefix.capture;

import dev.tracefix.capture.CaptureException.Kind;
import java.nio.file.Path;

/**
 * A function to time with a uprobe/uretprobe pair: every call of {@code symbol} in {@code binary}
 * (an executable or shared library) by a traced process becomes one {@link EventType#UPROBE} event
 * with its duration and return value. The path is only used to attach and is hashed before it
 * leaves capture ({@link SafeEvent#binaryHash()}).
 *
 * @param binary the ELF file defining the function
 * @param symbol the function's name in its {@code .symtab} or {@code .dynsym}
 */
public record UprobeTarget(Path binary, String symbol) {
  public UprobeTarget {
    if (binary == null || symbol == null || symbol.isBlank()) {
      throw new CaptureException(Kind.USER, "a uprobe target needs a binary and a symbol");
    }
  }

  /** Parses {@code /path/to/bin:symbol} (split at the last colon, so paths may contain colons). */
  /**
   * A target that resolves on Debian and Ubuntu x86_64 (libc keeps its dynamic symbols; an
   * executable such as /usr/bin/curl is stripped, so its main cannot be probed).
   */
  public static final String EXAMPLE = "/usr/lib/x86_64-linux-gnu/libc.so.6:getaddrinfo";

  public static UprobeTarget parse(String spec) {
    int colon = spec == null ? -1 : spec.lastIndexOf(':');
    if (colon <= 0 || colon == spec.length() - 1) {
      throw new CaptureException(
          Kind.USER,
          "uprobe target '" + spec + "' must be /path/to/binary:symbol, e.g. " + EXAMPLE);
    }
    return new UprobeTarget(Path.of(spec.substring(0, colon)), spec.substring(colon + 1));
  }

  /** {@code binary:symbol}, as given. */
  @Override
  public String toString() {
    return binary + ":" + symbol;
  }
}

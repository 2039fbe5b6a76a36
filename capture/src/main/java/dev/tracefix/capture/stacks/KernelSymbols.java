package dev.tracefix.capture.stacks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Kernel text symbols from /proc/kallsyms, read once and sorted: names kernel frames as {@code
 * symbol+0xoff}. Addresses themselves never leave this class.
 */
final class KernelSymbols {
  private static volatile KernelSymbols system;

  private final long[] starts;
  private final String[] names;

  private KernelSymbols(long[] starts, String[] names) {
    this.starts = starts;
    this.names = names;
  }

  static KernelSymbols system() {
    KernelSymbols s = system;
    if (s == null) {
      s = read(Path.of("/proc/kallsyms"));
      system = s;
    }
    return s;
  }

  private record Sym(long start, String name) {}

  static KernelSymbols read(Path kallsyms) {
    List<Sym> syms = new ArrayList<>();
    try (var lines = Files.lines(kallsyms)) {
      lines.forEach(
          line -> {
            int a = line.indexOf(' ');
            int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
            if (b < 0 || b + 1 >= line.length()) {
              return;
            }
            char kind = Character.toLowerCase(line.charAt(a + 1));
            if (kind != 't' && kind != 'w') {
              return;
            }
            long start = Long.parseUnsignedLong(line.substring(0, a), 16);
            if (start == 0) {
              return; // kptr_restrict hides addresses: nothing can be named
            }
            int end = line.indexOf('\t', b + 1);
            syms.add(new Sym(start, line.substring(b + 1, end < 0 ? line.length() : end)));
          });
    } catch (IOException | RuntimeException e) {
      return new KernelSymbols(new long[0], new String[0]);
    }
    syms.sort(Comparator.comparingLong(Sym::start).thenComparing(Sym::name));
    long[] starts = new long[syms.size()];
    String[] names = new String[syms.size()];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = syms.get(i).start();
      names[i] = syms.get(i).name();
    }
    return new KernelSymbols(starts, names);
  }

  /** {@code symbol+0xoff} for a kernel address, or {@code [unknown]}. */
  String name(long ip) {
    int i = Frames.floor(starts, ip);
    if (i < 0) {
      return Frames.UNKNOWN;
    }
    return names[i] + "+0x" + Long.toHexString(ip - starts[i]);
  }

  int size() {
    return starts.length;
  }
}

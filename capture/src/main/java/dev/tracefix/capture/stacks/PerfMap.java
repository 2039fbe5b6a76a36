package dev.tracefix.capture.stacks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A JIT's symbol map, {@code /tmp/perf-PID.map}: {@code START SIZE name} per line, hex. Re-read
 * whenever the file's size or modification time changed (a JVM writes it at exit with
 * -XX:+DumpPerfMapAtExit, or on demand with {@code jcmd PID Compiler.perfmap}).
 */
final class PerfMap {
  private final Path file;
  private long seenSize = -1;
  private long seenModified = -1;
  private long[] starts = new long[0];
  private long[] ends = new long[0];
  private String[] names = new String[0];

  PerfMap(Path file) {
    this.file = file;
  }

  private record Entry(long start, long size, String name) {}

  /** {@code name+0xoff} for an address the map covers, or null. */
  String name(long ip) {
    refresh();
    int i = Frames.floor(starts, ip);
    if (i < 0 || Long.compareUnsigned(ip, ends[i]) >= 0) {
      return null;
    }
    return names[i] + "+0x" + Long.toHexString(ip - starts[i]);
  }

  private void refresh() {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return;
    }
    long modified = attrs.lastModifiedTime().toMillis();
    if (attrs.size() == seenSize && modified == seenModified) {
      return;
    }
    List<Entry> entries = new ArrayList<>();
    try (var lines = Files.lines(file)) {
      lines.forEach(
          line -> {
            String[] f = line.split(" ", 3);
            if (f.length == 3) {
              try {
                entries.add(
                    new Entry(
                        Long.parseUnsignedLong(strip(f[0]), 16),
                        Long.parseUnsignedLong(strip(f[1]), 16),
                        f[2].strip()));
              } catch (NumberFormatException ignored) {
                // A line being written, or not a map line: skip it.
              }
            }
          });
    } catch (IOException | RuntimeException e) {
      return;
    }
    entries.sort(Comparator.comparingLong(Entry::start));
    starts = new long[entries.size()];
    ends = new long[entries.size()];
    names = new String[entries.size()];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = entries.get(i).start();
      ends[i] = entries.get(i).start() + entries.get(i).size();
      names[i] = entries.get(i).name();
    }
    seenSize = attrs.size();
    seenModified = modified;
  }

  private static String strip(String hex) {
    return hex.startsWith("0x") ? hex.substring(2) : hex;
  }
}

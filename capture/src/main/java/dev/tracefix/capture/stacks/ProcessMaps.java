package dev.tracefix.capture.stacks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The memory mappings of one process (/proc/PID/maps), sorted by start address. */
record ProcessMaps(List<Mapping> mappings) {
  /**
   * One mapping.
   *
   * @param path the mapped file, or null for anonymous memory (and pseudo paths like [heap])
   */
  record Mapping(long start, long end, long fileOffset, String path, boolean executable) {
    boolean fileBacked() {
      return path != null;
    }
  }

  static final ProcessMaps NONE = new ProcessMaps(List.of());

  static ProcessMaps read(Path procRoot, int tgid) {
    List<Mapping> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(procRoot.resolve(tgid + "/maps"))) {
        String[] f = line.split("\\s+", 6);
        if (f.length < 5) {
          continue;
        }
        int dash = f[0].indexOf('-');
        long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
        long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
        boolean exec = f[1].indexOf('x') >= 0;
        long offset = Long.parseUnsignedLong(f[2], 16);
        String path = f.length == 6 ? f[5].strip() : "";
        out.add(new Mapping(start, end, offset, path.startsWith("/") ? path : null, exec));
      }
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
    return new ProcessMaps(List.copyOf(out));
  }

  Mapping find(long ip) {
    for (Mapping m : mappings) {
      if (Long.compareUnsigned(ip, m.start()) >= 0 && Long.compareUnsigned(ip, m.end()) < 0) {
        return m;
      }
    }
    return null;
  }
}

package dev.tracefix.capture.proc;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the capturing process itself costs: CPU time from {@code /proc/self/stat} (utime + stime),
 * resident memory from {@code /proc/self/status} (VmRSS) and the Java heap in use.
 */
public final class AgentResources {
  /** USER_HZ: the unit of utime/stime; 100 on every Linux architecture tracefix runs on. */
  static final long TICKS_PER_SECOND = 100;

  private final Path self;

  AgentResources(Path self) {
    this.self = self;
  }

  /** The running JVM's own /proc entry. */
  public static AgentResources self() {
    return new AgentResources(Path.of("/proc/self"));
  }

  /** User plus system CPU seconds of the whole process (all threads), or 0 where unreadable. */
  public double cpuSeconds() {
    try {
      String stat = Files.readString(self.resolve("stat"));
      // comm (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 (state); utime and stime are fields 14 and 15.
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks / (double) TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** VmRSS in bytes, or 0 where unreadable. */
  public long residentBytes() {
    return statusKilobytes("VmRSS:") * 1024;
  }

  /** Java heap in use, in bytes. */
  public static long heapUsedBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private long statusKilobytes(String key) {
    try {
      for (String line : Files.readAllLines(self.resolve("status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or /proc hidden: report nothing rather than fail a capture.
    }
    return 0;
  }
}

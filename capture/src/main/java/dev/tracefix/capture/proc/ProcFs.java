package dev.tracefix.capture.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads the few /proc files process identity and metadata come from. */
public final class ProcFs {
  /**
   * USER_HZ, the unit of /proc/PID/stat times: fixed at 100 by the Linux ABI on x86 and arm64 (what
   * {@code getconf CLK_TCK} prints), independent of the kernel's internal HZ.
   */
  public static final long USER_HZ = 100;

  /** What {@link #bootId} returns where the boot id cannot be read. */
  public static final String UNKNOWN_BOOT = "unknown-boot";

  private final Path root;

  public ProcFs(Path root) {
    this.root = root;
  }

  public static ProcFs system() {
    return new ProcFs(Path.of("/proc"));
  }

  /** The boot id: ties process identities to one boot of this machine. */
  public String bootId() {
    try {
      return Files.readString(root.resolve("sys/kernel/random/boot_id")).strip();
    } catch (IOException e) {
      return UNKNOWN_BOOT;
    }
  }

  /** Field 22 of /proc/PID/stat: start time in clock ticks since boot. */
  public OptionalLong startTimeTicks(int pid) {
    try {
      String stat = Files.readString(root.resolve(pid + "/stat"));
      // comm (field 2) may contain spaces and parentheses: fields resume after the last ')'.
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return OptionalLong.of(Long.parseLong(rest[22 - 3]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** Converts a task's start_boottime (ns) to the clock ticks /proc/PID/stat reports. */
  public static long nanosToTicks(long startBoottimeNs) {
    return startBoottimeNs / (1_000_000_000L / USER_HZ);
  }

  public Optional<String> comm(int pid) {
    return read(pid, "comm").map(String::strip);
  }

  /** The cgroup v2 path (the "0::" line of /proc/PID/cgroup). */
  public Optional<String> cgroupV2(int pid) {
    return read(pid, "cgroup")
        .flatMap(text -> text.lines().filter(l -> l.startsWith("0::")).findFirst())
        .map(line -> line.substring(3));
  }

  public Optional<Path> exePath(int pid) {
    try {
      return Optional.of(Files.readSymbolicLink(root.resolve(pid + "/exe")));
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** The executable itself: opening /proc/PID/exe works even when the file was replaced. */
  public Path exeLink(int pid) {
    return root.resolve(pid + "/exe");
  }

  private Optional<String> read(int pid, String file) {
    try {
      return Optional.of(Files.readString(root.resolve(pid + "/" + file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

package dev.tracefix.capture.probe;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Kernel prerequisites outside libbpf: BTF for CO-RE, and tracefs for tracepoint ids. */
public final class KernelFeatures {
  public static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");
  public static final Path TRACEFS = Path.of("/sys/kernel/tracing");

  private KernelFeatures() {}

  public static Optional<String> missingBtf() {
    return missingBtf(BTF);
  }

  /** Why a kernel whose BTF would be at {@code btf} cannot run CO-RE programs, if it cannot. */
  static Optional<String> missingBtf(Path btf) {
    return Files.isReadable(btf)
        ? Optional.empty()
        : Optional.of(
            "kernel BTF "
                + btf
                + " is missing: CO-RE programs need a kernel built with CONFIG_DEBUG_INFO_BTF=y"
                + " (most distribution kernels since 5.4; check 'ls /sys/kernel/btf/vmlinux')");
  }

  public static void requireBtf() {
    missingBtf()
        .ifPresent(
            reason -> {
              throw new CaptureException(Kind.KERNEL_FEATURE, "cannot capture: " + reason);
            });
  }

  /**
   * libbpf resolves a tracepoint's perf event id through tracefs, which is not always mounted:
   * mount it when we may, otherwise say exactly what to run.
   */
  public static void ensureTracefs() {
    if (isMountpoint(TRACEFS)) {
      return;
    }
    String fix = "mount -t tracefs nodev " + TRACEFS;
    if (!Privileges.hasSysAdmin()) {
      throw new CaptureException(
          Kind.PRIVILEGE,
          "cannot capture: tracefs is not mounted at "
              + TRACEFS
              + " and mounting it needs CAP_SYS_ADMIN; run '"
              + fix
              + "' as root, or run as root (sudo ./tracefix capture ...)");
    }
    try {
      Process mount =
          new ProcessBuilder(List.of("mount", "-t", "tracefs", "nodev", TRACEFS.toString()))
              .redirectErrorStream(true)
              .start();
      String output = new String(mount.getInputStream().readAllBytes()).strip();
      if (!mount.waitFor(30, TimeUnit.SECONDS)
          || mount.exitValue() != 0
          || !isMountpoint(TRACEFS)) {
        throw new CaptureException(
            Kind.KERNEL_FEATURE,
            "cannot capture: '"
                + fix
                + "' failed ("
                + output
                + "); tracepoints need tracefs (CONFIG_TRACING)");
      }
    } catch (IOException e) {
      throw new CaptureException(
          Kind.KERNEL_FEATURE, "cannot capture: could not run '" + fix + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CaptureException(Kind.KERNEL_FEATURE, "interrupted while mounting tracefs", e);
    }
  }

  /** True if {@code dir} is a mount point, read from /proc/self/mountinfo (field 5). */
  static boolean isMountpoint(Path dir) {
    try {
      String target = dir.toString();
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(line -> line.split(" "))
          .anyMatch(fields -> fields.length > 4 && fields[4].equals(target));
    } catch (IOException e) {
      return false;
    }
  }
}

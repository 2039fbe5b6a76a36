package dev.tracefix.capture.probe;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks the effective capabilities eBPF tracing needs, read from /proc/self/status. */
public final class Privileges {
  static final int CAP_SYS_ADMIN = 21;
  static final int CAP_PERFMON = 38;
  static final int CAP_BPF = 39;

  private Privileges() {}

  /** Empty when this process may load and attach tracing programs, else the missing privilege. */
  public static Optional<String> missing() {
    return missing(Path.of("/proc/self/status"));
  }

  static Optional<String> missing(Path status) {
    long capEff;
    try {
      capEff =
          Files.readAllLines(status).stream()
              .filter(line -> line.startsWith("CapEff:"))
              .map(line -> Long.parseUnsignedLong(line.substring(7).strip(), 16))
              .findFirst()
              .orElse(0L);
    } catch (IOException | NumberFormatException e) {
      return Optional.of("cannot read capabilities from " + status + " (" + e.getMessage() + ")");
    }
    List<String> lacking = new ArrayList<>();
    if (!has(capEff, CAP_BPF)) {
      lacking.add("CAP_BPF");
    }
    if (!has(capEff, CAP_PERFMON)) {
      lacking.add("CAP_PERFMON");
    }
    if (lacking.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "missing "
            + String.join(" and ", lacking)
            + " (eBPF tracing needs root or CAP_BPF+CAP_PERFMON); run as root (sudo ./tracefix"
            + " capture ...)");
  }

  static boolean has(long capEff, int cap) {
    return (capEff & (1L << cap)) != 0;
  }

  static boolean hasSysAdmin() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("CapEff:"))
          .anyMatch(
              line -> has(Long.parseUnsignedLong(line.substring(7).strip(), 16), CAP_SYS_ADMIN));
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  /** Throws PRIVILEGE naming what is missing. */
  public static void require() {
    missing()
        .ifPresent(
            reason -> {
              throw new CaptureException(Kind.PRIVILEGE, "cannot capture: " + reason);
            });
  }
}

package dev.tracefix.capture.probe;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.ffm.BpfSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which kinds of probe beyond tracepoints this kernel offers. tracefix captures with tracepoints
 * only; these checks exist so that a request for a kprobe or fentry program is answered with
 * "unsupported on this kernel" and the reason, never with a confusing attach error.
 */
public final class ProbeSupport {
  static final Path KPROBE_PMU = Path.of("/sys/bus/event_source/devices/kprobe");
  static final String FENTRY_OBJECT = "/bpf/feature_fentry.bpf.o";

  private ProbeSupport() {}

  /**
   * Empty when kprobes can be attached: libbpf needs the kprobe PMU or, on old kernels, tracefs's
   * kprobe_events; neither exists when CONFIG_KPROBES is off.
   */
  public static Optional<String> kprobesUnsupported() {
    if (Files.isDirectory(KPROBE_PMU)
        || Files.exists(KernelFeatures.TRACEFS.resolve("kprobe_events"))) {
      return Optional.empty();
    }
    return Optional.of(
        "kprobes: unsupported on this kernel (no kprobe PMU at "
            + KPROBE_PMU
            + " and no kprobe_events in "
            + KernelFeatures.TRACEFS
            + "; the kernel is built without CONFIG_KPROBES)");
  }

  /**
   * Empty when this kernel loads an fentry program; otherwise why not, quoting libbpf (the load is
   * tried for real, on a program that is never attached). Needs the privileges of a capture.
   */
  public static Optional<String> fentryUnsupported() {
    Path object;
    try (InputStream in = ProbeSupport.class.getResourceAsStream(FENTRY_OBJECT)) {
      if (in == null) {
        return Optional.of("fentry: not probed (" + FENTRY_OBJECT + " is not on the classpath)");
      }
      object = Files.createTempFile("tracefix-feature_fentry", ".bpf.o");
      Files.copy(in, object, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      return Optional.of("fentry: not probed (" + e.getMessage() + ")");
    }
    try (BpfSession session = BpfSession.open(object)) {
      session.load();
      return Optional.empty();
    } catch (CaptureException e) {
      String first = e.getMessage().lines().findFirst().orElse("");
      return Optional.of("fentry/fexit: unsupported on this kernel (" + first + ")");
    } finally {
      try {
        Files.deleteIfExists(object);
      } catch (IOException ignored) {
        // A temp copy of a public object file leaks nothing.
      }
    }
  }

  /** One line per unsupported probe kind, for a capture to report. */
  public static List<String> unsupported() {
    List<String> reasons = new ArrayList<>();
    kprobesUnsupported().ifPresent(reasons::add);
    fentryUnsupported().ifPresent(reasons::add);
    return reasons;
  }
}

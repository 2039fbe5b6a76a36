package dev.tracefix.capture.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.KernelAssumptions;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeSupportTest {
  @Test
  void kprobesAreReportedUnsupportedExactlyWhenTheKernelHasNoKprobeInterface() {
    boolean present =
        Files.isDirectory(ProbeSupport.KPROBE_PMU)
            || Files.exists(KernelFeatures.TRACEFS.resolve("kprobe_events"));
    Optional<String> reason = ProbeSupport.kprobesUnsupported();
    System.out.println("kprobes: " + reason.orElse("supported"));

    assertEquals(present, reason.isEmpty());
    reason.ifPresent(r -> assertTrue(r.startsWith("kprobes: unsupported on this kernel"), r));
  }

  @Test
  void fentryIsEitherLoadedOrReportedUnsupportedWithLibbpfsReason() {
    KernelAssumptions.assumeCaptureAvailable();
    Optional<String> reason = ProbeSupport.fentryUnsupported();
    System.out.println("fentry: " + reason.orElse("supported"));

    reason.ifPresent(
        r -> {
          assertTrue(r.startsWith("fentry/fexit: unsupported on this kernel ("), r);
          assertTrue(r.contains("libbpf load of") && r.contains("errno"), r);
        });
  }
}

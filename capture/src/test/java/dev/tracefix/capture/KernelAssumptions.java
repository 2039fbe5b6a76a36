package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;

/** Kernel tests skip with the reason off-CI, and fail in CI (CI=true) when eBPF is unavailable. */
public final class KernelAssumptions {
  private KernelAssumptions() {}

  public static void assumeCaptureAvailable() {
    Optional<String> reason = Capture.unavailableReason();
    if (reason.isEmpty()) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("CI=true requires eBPF capture, but: " + reason.get());
    }
    assumeTrue(false, "eBPF capture unavailable: " + reason.get());
  }
}

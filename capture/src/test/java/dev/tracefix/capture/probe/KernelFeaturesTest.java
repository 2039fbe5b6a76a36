package dev.tracefix.capture.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelFeaturesTest {
  @Test
  void aKernelWithoutBtfIsNamedWithTheConfigOptionItNeeds(@TempDir Path dir) {
    String reason = KernelFeatures.missingBtf(dir.resolve("vmlinux")).orElseThrow();
    assertTrue(reason.contains(dir.resolve("vmlinux").toString()), reason);
    assertTrue(reason.contains("CONFIG_DEBUG_INFO_BTF=y"), reason);
  }

  @Test
  void aReadableBtfFileIsEnough(@TempDir Path dir) throws Exception {
    Path btf = java.nio.file.Files.writeString(dir.resolve("vmlinux"), "btf");
    assertEquals(Optional.empty(), KernelFeatures.missingBtf(btf));
  }
}

package dev.tracefix.server.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.proc.ContainerIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real capture records the boot, the clock and the kernel it ran on, and each container id. */
class CaptureMetadataTest {
  /**
   * Wall clock minus CLOCK_MONOTONIC changes only when the wall clock is slewed or stepped (NTP):
   * slewing is at most 500 ppm, a few milliseconds over this test. The two clocks are also read one
   * after the other, microseconds apart. 50 ms is far above both and far below any mix-up of clocks
   * (boottime differs by the time the machine slept, wall time by decades).
   */
  private static final long OFFSET_TOLERANCE_NS = TimeUnit.MILLISECONDS.toNanos(50);

  @TempDir Path dir;

  @Test
  void theCapturesRowHoldsTheBootIdHashTheClockOffsetAndTheKernelRelease() throws Exception {
    Optional<String> reason = Capture.unavailableReason();
    if (reason.isPresent() && "true".equals(System.getenv("CI"))) {
      fail("CI=true requires eBPF capture, but: " + reason.get());
    }
    assumeTrue(reason.isEmpty(), () -> "eBPF capture unavailable: " + reason.orElse(""));

    Path db = dir.resolve("meta.duckdb");
    CaptureConfig config =
        new CaptureConfig(
            Duration.ofSeconds(30),
            OptionalInt.empty(),
            List.of("sh", "-c", "head -c 64 /proc/version > /dev/null"),
            dir.resolve("keys"));
    CaptureRecorder.record(config, db);
    Instant now = Instant.now();
    long expectedOffset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();

    String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
    String expectedHash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(bootId.getBytes(StandardCharsets.US_ASCII)))
            .substring(0, 16);
    String release = uname();

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT boot_id, clock_offset_ns, kernel, ended_at FROM captures")) {
      assertTrue(rs.next(), "one captures row");
      String stored = rs.getString(1);
      System.out.printf(
          "boot_id %s, clock_offset_ns %d (test: %d), kernel %s%n",
          stored, rs.getLong(2), expectedOffset, rs.getString(3));
      assertEquals(expectedHash, stored, "boot_id is the SHA-256 prefix of the boot id");
      assertFalse(stored.matches("[0-9a-f]{64}"), "never a full 64-hex digest");
      assertFalse(bootId.replace("-", "").contains(stored), "not a piece of the raw boot id");
      long offset = rs.getLong(2);
      assertTrue(
          Math.abs(offset - expectedOffset) < OFFSET_TOLERANCE_NS,
          "clock offset " + offset + " vs " + expectedOffset);
      assertEquals(release, rs.getString(3), "kernel is uname -r");
      assertTrue(rs.getObject(4) != null, "ended_at set");
    }

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        ResultSet rs =
            c.createStatement().executeQuery("SELECT cgroup, container FROM processes")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        // The capture stores the id parsed from the unredacted path; here, the same parse of the
        // stored path (short enough not to be truncated) must agree.
        assertEquals(
            ContainerIds.fromCgroup(rs.getString(1)).orElse(null),
            rs.getString(2),
            "container of " + rs.getString(1));
      }
      assertTrue(rows > 0, "the traced command is a process row");
    }
  }

  private static String uname() throws Exception {
    Process p = new ProcessBuilder("uname", "-r").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0);
    return out;
  }
}

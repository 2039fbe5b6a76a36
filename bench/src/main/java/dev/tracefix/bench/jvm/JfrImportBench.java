package dev.tracefix.bench.jvm;

import dev.tracefix.capture.privacy.PrivacyEngine;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.server.capture.JfrImporter;
import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * {@code tracefix import --jfr}'s path (read, map, redact by the default policy, store) over one
 * recording, timed end to end into a fresh store. Prints events stored and read per second. Usage:
 * JfrImportBench RECORDING WORKDIR
 */
public final class JfrImportBench {
  private JfrImportBench() {}

  /** CPU time of the whole process, DuckDB's native threads included. */
  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  public static void main(String[] args) throws Exception {
    Path recording = Path.of(args[0]);
    Path work = Path.of(args[1]);
    Files.createDirectories(work);
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    HmacKey key = new HmacKey("k_bench0000001", secret);
    for (int round = 1; round <= 2; round++) {
      Path db = work.resolve("jfr-" + round + ".duckdb");
      long opened;
      long imported;
      JfrImporter.Result r;
      long cpuBefore;
      long cpuAfter;
      long begin = System.nanoTime();
      try (EventStore store = EventStore.open(db)) {
        opened = System.nanoTime();
        cpuBefore = cpu();
        r = JfrImporter.importFile(recording, store, PrivacyEngine.withDefaultPolicy(key), key);
        cpuAfter = cpu();
        imported = System.nanoTime();
      }
      long closed = System.nanoTime();
      // The import itself: from the open store to the committed capture. Opening (creating and
      // migrating a new store) and closing it are printed apart: a store is opened once per import
      // command but many imports can go into one open store.
      double seconds = (imported - opened) / 1e9;
      System.out.printf(
          "  store open %.2f s, close %.2f s%n", (opened - begin) / 1e9, (closed - imported) / 1e9);
      long stored = r.rows();
      long read = stored + r.summary().skipped();
      System.out.printf(
          "import round %d: %d events read (%d stored, %d of other types), %d stacks, %.2f s"
              + " wall (%.0f events read/s, %.0f stored/s), %.2f s CPU (%.0f events read per CPU"
              + " second)%n",
          round,
          read,
          stored,
          r.summary().skipped(),
          r.summary().stacks(),
          seconds,
          read / seconds,
          stored / seconds,
          (cpuAfter - cpuBefore) / 1e9,
          read / ((cpuAfter - cpuBefore) / 1e9));
    }
  }
}

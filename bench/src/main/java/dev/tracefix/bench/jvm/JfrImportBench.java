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

  public static void main(String[] args) throws Exception {
    Path recording = Path.of(args[0]);
    Path work = Path.of(args[1]);
    Files.createDirectories(work);
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    HmacKey key = new HmacKey("k_bench0000001", secret);
    for (int round = 1; round <= 2; round++) {
      Path db = work.resolve("jfr-" + round + ".duckdb");
      long start = System.nanoTime();
      JfrImporter.Result r;
      try (EventStore store = EventStore.open(db)) {
        r = JfrImporter.importFile(recording, store, PrivacyEngine.withDefaultPolicy(key), key);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long stored = r.rows();
      long read = stored + r.summary().skipped();
      System.out.printf(
          "import round %d: %d events read (%d stored, %d of other types), %d stacks, %.2f s:"
              + " %.0f events read/s, %.0f stored/s%n",
          round,
          read,
          stored,
          r.summary().skipped(),
          r.summary().stacks(),
          seconds,
          read / seconds,
          stored / seconds);
    }
  }
}

package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command run with the launcher's JVM flags prints tracefix's own output only: the JDK's warnings
 * about Arrow's use of sun.misc.Unsafe (four lines on every start) and Arrow's INFO lines about its
 * allocator are silenced.
 */
class QuietOutputTest {
  @Test
  void importAndQueryPrintNoJvmWarnings(@TempDir Path dir) throws Exception {
    String db = dir.resolve("q.duckdb").toString();
    String recorded = ProjectPaths.home().resolve("examples/recorded-capture").toString();
    try (CliProcess imported = CliProcess.start(dir, "import", "--db", db, "--parquet", recorded)) {
      assertEquals(0, imported.awaitExit(), imported.err());
      assertFalse(imported.err().contains("WARNING"), imported.err());
      assertFalse(imported.err().contains("org.apache.arrow"), imported.err());
    }
    try (CliProcess sql =
        CliProcess.start(dir, "sql", "--db", db, "select count(*) from processes")) {
      assertEquals(0, sql.awaitExit(), sql.err());
      assertFalse(sql.err().contains("WARNING"), sql.err());
      assertFalse(sql.err().contains("org.apache.arrow"), sql.err());
      assertTrue(sql.out().strip().length() > 0, "the query printed its result");
    }
  }
}

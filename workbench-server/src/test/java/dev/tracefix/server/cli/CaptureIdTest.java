package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The id {@code tracefix capture} prints is the stored one, so every other command takes it. */
class CaptureIdTest {
  private static final Pattern PRINTED = Pattern.compile("(?m)^capture (\\S+): ");

  @TempDir Path dir;

  @Test
  void thePrintedCaptureIdIsTheStoredOneAndForgetTakesIt() throws Exception {
    CliProcess.assumeKernelCapture();
    Path db = dir.resolve("c.duckdb");
    CliRun capture =
        CliRun.of(
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--",
            "sh",
            "-c",
            "exec true");
    assertEquals(0, capture.exit(), capture.err());
    Matcher m = PRINTED.matcher(capture.out());
    assertTrue(m.find(), capture.out());
    String printed = m.group(1);
    System.out.println("CaptureIdTest: printed " + printed);
    assertTrue(printed.matches("c-[0-9a-f]{8}"), printed);

    CliRun stored =
        CliRun.of(
            "sql", "--db", db.toString(), "--format", "csv", "SELECT capture_id FROM captures");
    assertEquals(0, stored.exit(), stored.err());
    assertEquals("capture_id\n" + printed + "\n", stored.out());

    CliRun forget = CliRun.of("forget", "--db", db.toString(), "--capture", printed);
    assertEquals(0, forget.exit(), forget.err());
    assertTrue(forget.out().contains("captures               1 rows"), forget.out());
  }
}

package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture run as users run it, on a host whose name is a planted token (set inside a UTS
 * namespace the test makes), under a stricter policy file edited on disk: the host name never
 * reaches the store, the Parquet export (its {@code host=} folders included) or the output, and the
 * edited policy — not the copy built into the jar — is the one applied and recorded.
 */
class CaptureIdentityCliTest {
  private static final String PLANTED_HOST = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.alice";

  @TempDir Path dir;

  @Test
  void thePlantedHostNameIsTokenizedAndTheEditedPolicyIsInForce() throws Exception {
    CliProcess.assumeKernelCapture();
    Path policy = dir.resolve("strict.yaml");
    String text =
        Files.readString(ProjectPaths.home().resolve("policies/default.yaml"))
            .replace("policy: default", "policy: strict-comm")
            .replace("    comm: name", "    comm: hmac");
    Files.writeString(policy, text);
    Path db = dir.resolve("out.duckdb");
    List<String> wrapper =
        List.of(
            "unshare",
            "--uts",
            "sh",
            "-c",
            "printf %s \"$0\" > /proc/sys/kernel/hostname && exec \"$@\"",
            PLANTED_HOST);
    String out;
    String err;
    String metrics;
    try (CliProcess cli =
        CliProcess.startWrapped(
            wrapper,
            dir,
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--duration",
            "30s",
            "--policy",
            policy.toString(),
            "--metrics",
            "127.0.0.1:0",
            "--",
            "sh",
            "-c",
            "exec sleep 2")) {
      String line = cli.awaitErrLine(l -> l.contains("metrics at "), "the metrics address");
      String url = line.substring(line.indexOf("http://")).strip();
      metrics =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(metrics.contains("tracefix_"), metrics);
      assertEquals(0, cli.awaitExit(), cli::err);
      out = cli.out();
      err = cli.err();
    }
    Path parquet = dir.resolve("export");
    CliRun export = CliRun.of("export", "--db", db.toString(), "--parquet", parquet.toString());
    assertEquals(0, export.exit(), export.err());

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT host, policy_hash, policy_source FROM captures")) {
        assertTrue(rs.next());
        assertTrue(rs.getString(1).matches("host-[0-9a-f]{12}"), rs.getString(1));
        // The recorded hash is the file's SHA-256, shortened to 128 bits.
        assertEquals("sha256:" + sha256(policy).substring(0, 32), rs.getString(2));
        assertEquals(policy.toString(), rs.getString(3));
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*), count(*) FILTER (comm LIKE 'h\\_%' ESCAPE '\\') FROM processes")) {
        assertTrue(rs.next());
        assertTrue(rs.getLong(1) > 0, "no process stored");
        assertEquals(rs.getLong(1), rs.getLong(2), "the edited policy hmacs every comm");
      }
    }
    assertTrue(err.contains("policy strict-comm from " + policy), err);

    List<String> leaks = new ArrayList<>();
    List<String> forms =
        List.of(
            PLANTED_HOST,
            PLANTED_HOST.substring(0, 15),
            PLANTED_HOST.replaceAll("[^A-Za-z0-9@._:+-]", "_"),
            "eyJzdWIiOiJib2IifQ");
    String texts =
        String.join(
            "\n",
            out,
            err,
            metrics,
            export.out() + export.err(),
            StoredText.ofStore(db),
            StoredText.ofExport(parquet));
    for (String form : forms) {
      if (texts.contains(form)) {
        leaks.add(form);
      }
    }
    assertEquals(List.of(), leaks, texts);
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}

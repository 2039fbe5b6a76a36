package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.capture.privacy.keys.KeyStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracefix serve} as users start it, driven over its HTTP API on loopback: locked by
 * default, {@code --unlocked} with a warning; a key read from the key store never reaches a cell's
 * output or the report either way.
 */
class ServeLockTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern OPEN =
      Pattern.compile("open: (http://127\\.0\\.0\\.1:\\d+)/\\?token=(\\S+)");

  @TempDir Path dir;
  private Path keyFile;
  private String key;

  @BeforeEach
  void notebook() throws Exception {
    KeyStore.current(dir.resolve("keys"));
    keyFile = dir.resolve("keys").resolve("current.key");
    key = Files.readString(keyFile).strip();
    Files.createDirectories(dir.resolve("notebooks"));
    Files.createDirectories(dir.resolve("home"));
    Files.writeString(
        dir.resolve("notebooks").resolve("sandbox.md"),
        """
        # Sandbox probes

        ```sql id=passwd
        SELECT * FROM read_text('/etc/passwd')
        ```

        ```sql id=key
        SELECT content FROM read_text('KEY')
        ```

        ```java id=javakey
        java.nio.file.Files.readString(java.nio.file.Path.of("KEY"))
        ```

        ```java id=count
        sql("select count(*) AS n from events").get(0).get("n")
        ```

        ```sql id=memory
        SELECT current_setting('memory_limit') AS memory
        ```
        """
            .replace("KEY", keyFile.toString()));
  }

  @Test
  void serveIsLockedByDefaultAndJavaCellsStillQueryTheStore() throws Exception {
    try (CliProcess serve = serve()) {
      Workbench workbench = awaitWorkbench(serve);
      assertLocked(workbench.run("passwd"));
      assertLocked(workbench.run("key"));
      JsonNode javaKey = workbench.run("javakey");
      assertFalse(javaKey.toString().contains(key), "the key reached the output: " + javaKey);
      if (isRoot()) {
        assertEquals("error", javaKey.get("kind").asText(), javaKey.toString());
        assertTrue(
            javaKey.get("message").asText().startsWith("permission denied: "), javaKey.toString());
      }
      JsonNode count = workbench.run("count");
      assertEquals("text", count.get("kind").asText(), count.toString());
      assertEquals("0", count.get("text").asText());
      assertFalse(serve.err().contains("--unlocked"), serve.err());
      stop(serve);
    }
  }

  @Test
  void servePrintsItsLimitsOnOneLineAndTakesOthersWithLimit() throws Exception {
    try (CliProcess serve = serve("--limit", "memory=300MB", "--limit", "timeout=5m")) {
      Workbench workbench = awaitWorkbench(serve);
      String line =
          serve
              .out()
              .lines()
              .filter(l -> l.startsWith("limits per notebook: "))
              .findFirst()
              .orElse("");
      System.out.println(line);
      assertTrue(
          line.startsWith(
              "limits per notebook: timeout=5m max_rows=10000000 max_bytes=2GB memory=300MB"
                  + " threads="),
          serve.out());
      assertTrue(line.contains("java_cpu: "), line);
      JsonNode memory = workbench.run("memory");
      assertEquals("300.0 MiB", memory.get("rows").get(0).get(0).asText(), memory.toString());
      stop(serve);
    }
    try (CliProcess wrong = serve("--limit", "ram=1GB")) {
      assertEquals(2, wrong.awaitExit(), wrong.err());
      assertTrue(wrong.err().contains("--limit unknown limit 'ram'"), wrong.err());
    }
  }

  @Test
  void serveUnlockedWarnsLetsSqlReadFilesAndStillWithholdsKeyMaterial() throws Exception {
    try (CliProcess serve = serve("--unlocked")) {
      serve.awaitErrLine(l -> l.contains("WARNING: --unlocked"), "the --unlocked warning");
      Workbench workbench = awaitWorkbench(serve);
      JsonNode passwd = workbench.run("passwd");
      assertEquals("table", passwd.get("kind").asText(), passwd.toString());
      JsonNode keyRead = workbench.run("key");
      assertEquals("table", keyRead.get("kind").asText(), keyRead.toString());
      assertEquals("<KEY_MATERIAL:withheld>", keyRead.get("rows").get(0).get(0).asText().strip());
      String report = workbench.get("/api/notebooks/sandbox.md/report?format=md");
      assertFalse(report.contains(key), "the key is in the report");
      stop(serve);
    }
  }

  /**
   * Ctrl-C (SIGTERM, exit 143), so the workbench closes its sessions: snippet VMs, work folders.
   */
  private static void stop(CliProcess serve) throws InterruptedException {
    serve.process.destroy();
    assertEquals(143, serve.awaitExit(), serve.err());
  }

  private CliProcess serve(String... extra) throws Exception {
    String[] args = {
      "serve",
      "--db",
      dir.resolve("store").resolve("workbench.duckdb").toString(),
      "--notebooks",
      dir.resolve("notebooks").toString(),
      "--port",
      "0"
    };
    String[] all = new String[args.length + extra.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    // The report's placeholders use the test's key store, never the machine's ~/.tracefix/keys.
    return CliProcess.start(
        dir.resolve("home"),
        java.util.Map.of("TRACEFIX_KEYS", dir.resolve("keys").toString()),
        all);
  }

  private Workbench awaitWorkbench(CliProcess serve) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      Matcher m = OPEN.matcher(serve.out());
      if (m.find()) {
        return new Workbench(m.group(1), m.group(2));
      }
      if (!serve.process.isAlive()) {
        fail("serve ended: " + serve.out() + "\n" + serve.err());
      }
      Thread.sleep(100);
    }
    fail("serve never printed its URL; stdout: " + serve.out() + "\nstderr: " + serve.err());
    return null;
  }

  private static void assertLocked(JsonNode output) {
    assertEquals("error", output.get("kind").asText(), output.toString());
    String message = output.get("message").asText();
    assertTrue(message.startsWith("the notebook is locked: "), message);
    assertTrue(message.contains("tracefix serve --unlocked"), message);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private record Workbench(String base, String token) {
    JsonNode run(String cell) throws Exception {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(base + "/api/notebooks/sandbox.md/cells/" + cell + "/run"))
                      .header("Authorization", "Bearer " + token)
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      return JSON.readTree(response.body());
    }

    String get(String path) throws Exception {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + path))
                      .header("Authorization", "Bearer " + token)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      return response.body();
    }
  }
}

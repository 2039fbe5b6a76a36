package dev.tracefix.server.kernel.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.kernel.sql.NotebookDatabase;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.kernel.sql.ResultPage;
import dev.tracefix.server.kernel.sql.ResultTable;
import dev.tracefix.server.kernel.sql.SqlKernel;
import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server running as root runs Java snippets as nobody: the key store, /etc/shadow and /root are
 * closed to them, while {@code sql(...)} still reaches the notebook's data. Needs root, as in CI.
 */
class UnprivilegedJavaCellTest {
  @TempDir static Path dir;
  private static Path keyFile;
  private static String key;
  private static NotebookDatabase database;
  private static Connection db;
  private static JavaKernel kernel;

  @BeforeAll
  static void start() throws Exception {
    assumeRoot();
    // Other users may pass through the test folder: only the key store's own modes (a 0700
    // folder, a 0600 file) stand between a snippet and the key.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    KeyStore.current(dir.resolve("keys"));
    keyFile = dir.resolve("keys").resolve("current.key");
    key = Files.readString(keyFile).strip();
    Path store = dir.resolve("store.duckdb");
    try (Connection seed = DriverManager.getConnection("jdbc:duckdb:" + store);
        Statement s = seed.createStatement()) {
      s.execute("CREATE TABLE events AS SELECT range AS id FROM range(3)");
    }
    database = NotebookDatabases.unlocked(store).open(256L << 20, 1, null);
    db = database.connect();
    SqlKernel sql = new SqlKernel(db, 100, 1 << 20);
    Limits limits = Limits.defaults();
    kernel =
        new JavaKernel(
            new HostData() {
              @Override
              public HostTable sql(String query) throws Exception {
                ResultTable table = ResultTable.ofJava(1);
                SqlKernel.Kept kept = sql.keepForJava(query, table, limits);
                ResultPage page = sql.page(table, 0, 100, Duration.ofSeconds(30));
                return new HostTable(
                    "q1", page.columns(), page.rows(), 0, kept.rows(), kept.truncated(), null);
              }

              @Override
              public HostTable result(String name) {
                throw new IllegalArgumentException("no results here");
              }

              @Override
              public HostTable page(String handle, long offset, int limit) {
                throw new IllegalArgumentException("one page is all there is");
              }

              @Override
              public CellOutput.Table show(String handle) {
                throw new IllegalArgumentException("nothing to show here");
              }
            },
            new JavaKernel.VmLimits(256L << 20, 1),
            () -> {});
  }

  private static CellOutput run(String source) {
    return kernel.run(source, Limits.defaults());
  }

  @AfterAll
  static void stop() throws Exception {
    if (kernel != null) {
      kernel.close();
    }
    if (db != null) {
      db.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void snippetsRunAsNobodyWithoutTheServersEnvironment() {
    assertEquals(new CellOutput.Text("\"nobody\""), run("System.getProperty(\"user.name\")"));
    CellOutput.Text env =
        assertInstanceOf(
            CellOutput.Text.class,
            run("String.join(\",\", new TreeSet<>(System.getenv().keySet()))"));
    for (String name : env.text().replace("\"", "").split(",")) {
      assertTrue(Set.of("PATH", "LANG", "LC_ALL", "TZ").contains(name), "leaked variable " + name);
    }
  }

  @Test
  void readingTheKeyStoreFileFailsWithPermissionDenied() {
    assertDenied("java.nio.file.Files.readString(java.nio.file.Path.of(\"" + keyFile + "\"))");
  }

  @Test
  void readingTheDefaultKeyStoreInRootsHomeFailsWithPermissionDenied() {
    Path defaultKey = Path.of(System.getProperty("user.home"), ".tracefix", "keys", "current.key");
    assertDenied(
        "java.nio.file.Files.readAllBytes(java.nio.file.Path.of(\"" + defaultKey + "\")).length");
  }

  @Test
  void readingEtcShadowFailsWithPermissionDenied() {
    assertDenied("java.nio.file.Files.readAllLines(java.nio.file.Path.of(\"/etc/shadow\")).size()");
  }

  @Test
  void listingRootFailsWithPermissionDenied() {
    assertDenied("java.nio.file.Files.list(java.nio.file.Path.of(\"/root\")).count()");
  }

  @Test
  void sqlStillReachesTheNotebooksData() {
    assertEquals(
        new CellOutput.Text("3"),
        run("((Number) sql(\"select count(*) AS n from events\").get(0).get(\"n\")).intValue()"));
  }

  private static void assertDenied(String snippet) {
    CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, run(snippet), snippet);
    assertTrue(error.message().startsWith("permission denied: "), error.message());
    assertTrue(error.message().contains("nobody"), error.message());
    assertFalse(error.detail().contains(key), "the key is in the error detail");
  }

  /** Skips off CI when not root; CI runs as root and must run this. */
  private static void assumeRoot() {
    boolean root = SnippetSandbox.forThisProcess().dropsPrivileges();
    if (!root && "true".equals(System.getenv("CI"))) {
      fail(
          "CI=true runs as root with setpriv, but snippets would run as "
              + System.getProperty("user.name"));
    }
    assumeTrue(root, "snippets drop privileges only when the server runs as root (with setpriv)");
  }
}

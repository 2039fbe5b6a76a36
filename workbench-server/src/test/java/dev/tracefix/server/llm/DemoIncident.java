package dev.tracefix.server.llm;

import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.recognize.PlantedSecrets;
import dev.tracefix.capture.privacy.recognize.SeededCorpus;
import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.server.fixloop.GitFixtures;
import dev.tracefix.server.kernel.sql.SqlLock;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.run.CellContext;
import dev.tracefix.sink.EventStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The demo incident for model tests: the recorded capture imported into a fresh event store, opened
 * the way notebooks open it (locked), the timeout-service repository, and the held-in PII/secret
 * corpus planted on every path a model request can carry: process rows in the store, a table the
 * model's SQL reads, a named result, a saved query, a file in the repository, the culprit commit's
 * diff and the question itself.
 */
final class DemoIncident implements AutoCloseable {
  static final HmacKey KEY =
      new HmacKey("k_llmtest", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

  final Path project;
  final Path repo;
  final EventStore store;
  final Connection connection;
  final String culprit;
  final String plantedCommit;
  final List<String> plantedLines = new ArrayList<>();

  /** Where the ask cell's runner records its requests: beside the store, as the workbench does. */
  final AuditStore audit;

  /** What the context hands the cell: {@code stop.cancel()} is the notebook's interrupt. */
  final Cancellation stop = new Cancellation();

  private final Map<String, CellOutput> results = new HashMap<>();

  DemoIncident(Path dir) throws Exception {
    project = Files.createDirectories(dir.resolve("project"));
    Files.createDirectories(project.resolve("notebooks"));
    Files.createDirectories(project.resolve("queries"));
    Files.copy(
        GitFixtures.projectRoot().resolve("queries/error-bursts.sql"),
        project.resolve("queries/error-bursts.sql"));
    repo = GitFixtures.timeoutServiceRepo(dir.resolve("timeout-service"));
    culprit =
        GitFixtures.git(repo, "log", "--format=%H", "--grep=tighten inventory timeout").strip();
    store = EventStore.open(dir.resolve("store.duckdb"));
    audit = AuditStore.beside(dir.resolve("store.duckdb"));
    store.importParquet(GitFixtures.projectRoot().resolve("examples/recorded-capture"));

    for (PlantedSecrets p : PlantedSecrets.all()) {
      plantedLines.add(p.value());
    }
    for (SeededCorpus.Planted p : new SeededCorpus(1337, true).generate(2)) {
      plantedLines.add(p.line());
    }
    try (Connection c = store.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE incident_notes(note VARCHAR)");
      try (PreparedStatement notes = c.prepareStatement("INSERT INTO incident_notes VALUES (?)");
          PreparedStatement procs =
              c.prepareStatement(
                  "INSERT INTO processes (capture_id, token, comm, build_id, cgroup, exe_hash, key_id)"
                      + " VALUES ('c-a0ab1555', ?, ?, 'b0', '/', 'e_0', 'k_39c1d328b2ca')")) {
        int i = 0;
        for (String line : plantedLines) {
          notes.setString(1, line);
          notes.executeUpdate();
          procs.setString(1, "p_planted" + (i++));
          procs.setString(2, line);
          procs.executeUpdate();
        }
      }
    }
    Path exports = Files.createDirectories(dir.resolve("exports"));
    SqlLock lock = new SqlLock(List.of(exports));
    try (Connection c = store.connect()) {
      lock.apply(c);
    }
    connection = lock.guard(store.connect());
    try (Statement s = connection.createStatement()) {
      s.execute(
          "CREATE TEMP TABLE errors AS SELECT p.comm, e.errno_name, count(*) AS calls FROM events e"
              + " JOIN processes p ON p.token = e.process_token WHERE e.errno <> 0 GROUP BY ALL");
      s.execute("CREATE TEMP TABLE oncall AS SELECT note FROM incident_notes");
    }
    Files.writeString(
        project.resolve("queries/planted.sql"),
        "-- title: who to page\n-- " + String.join("\n-- ", plantedLines) + "\nSELECT 1\n");
    Files.createDirectories(repo.resolve("config"));
    Files.writeString(repo.resolve("config/oncall.env"), String.join("\n", plantedLines) + "\n");
    GitFixtures.git(repo, "add", "config/oncall.env");
    GitFixtures.git(
        repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "oncall contacts");
    plantedCommit = GitFixtures.git(repo, "rev-parse", "HEAD").strip();
    results.put(
        "culprit",
        new CellOutput.Bisected(
            culprit, "client: tighten inventory timeout to fail fast", List.of(), 0, List.of()));
    results.put(
        "planted_commit",
        new CellOutput.Bisected(plantedCommit, "oncall contacts", List.of(), 0, List.of()));
  }

  /** Every form of every planted value that must not reach a model. */
  Set<String> forbidden() {
    Set<String> forms = new LinkedHashSet<>();
    for (PlantedSecrets p : PlantedSecrets.all()) {
      forms.addAll(p.forms());
    }
    for (SeededCorpus.Planted p : new SeededCorpus(1337, true).generate(2)) {
      forms.add(p.secret());
    }
    return forms;
  }

  /** The planted forms found in {@code text}. */
  List<String> leaksIn(String text) {
    return forbidden().stream().filter(text::contains).toList();
  }

  CellContext context() {
    return new CellContext() {
      @Override
      public Path notebookDir() {
        return project.resolve("notebooks");
      }

      @Override
      public Path projectDir() {
        return project;
      }

      @Override
      public Path workDir() {
        return project;
      }

      @Override
      public Connection sql() {
        return connection;
      }

      @Override
      public Optional<CellOutput> result(String name) {
        return Optional.ofNullable(results.get(name));
      }

      @Override
      public void progress(String line) {}

      @Override
      public Cancellation cancellation() {
        return stop;
      }
    };
  }

  /** A read-only connection to the audit store's file (the caller closes it). */
  Connection auditFile() throws java.sql.SQLException {
    java.util.Properties readOnly = new java.util.Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    return java.sql.DriverManager.getConnection("jdbc:duckdb:" + audit.file(), readOnly);
  }

  /** The ask cell's runner with {@code env} as its environment, recording into {@link #audit}. */
  HypothesisCellRunner runner(Map<String, String> env) {
    return new HypothesisCellRunner(
        () -> KEY, dev.tracefix.capture.privacy.PolicyLoader::loadDefault, env, audit);
  }

  @Override
  public void close() throws Exception {
    connection.close();
    store.close();
  }
}

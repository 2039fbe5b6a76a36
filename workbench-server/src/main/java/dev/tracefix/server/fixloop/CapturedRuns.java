package dev.tracefix.server.fixloop;

import dev.tracefix.capture.proc.CgroupPaths;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.repro.RunCapture;
import dev.tracefix.server.analyst.ReadOnlyQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Captures repro runs for a spec's {@code capture-query:}: each run gets a cgroup of its own, the
 * target and the run enter it before they exec (so every process they start is in it too), and a
 * {@code tracefix capture --cgroup} of that cgroup records them into a store of the run's own. The
 * capture is this same program in a JVM of its own, stopped with SIGINT as a user would stop it (it
 * drains, detaches and stores); the query then runs read-only on the store. Needs root and eBPF,
 * like any capture; the events are redacted on the way in as in any capture.
 */
public final class CapturedRuns implements RunCapture {
  /** The CLI prints this on stderr once the probes are attached. */
  static final String ATTACHED = "probes attached";

  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STORE_TIMEOUT = Duration.ofSeconds(120);

  /** As the launcher starts the JVM. */
  private static final String JVM_FLAGS =
      "--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow";

  @Override
  public Session begin(Path scratch) {
    Path mount =
        CgroupPaths.system()
            .mount()
            .orElseThrow(
                () ->
                    new FixLoopException(
                        FixLoopException.Kind.REPRO,
                        "'capture-query:' needs cgroup v2 (no cgroup2 mount in /proc/self/mountinfo)"));
    String id = "tracefix-run-" + UUID.randomUUID().toString().substring(0, 8);
    Path cgroup = mount.resolve(id);
    try {
      Files.createDirectories(scratch);
      Files.createDirectory(cgroup);
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.REPRO,
          "cannot create the run's cgroup " + cgroup + " (a capture needs root): " + e.getMessage(),
          e);
    }
    Path store = scratch.resolve(id + ".duckdb");
    Path log = scratch.resolve(id + ".log");
    List<String> argv = new ArrayList<>(self());
    argv.addAll(
        List.of(
            "capture",
            "--db",
            store.toString(),
            "--cgroup",
            cgroup.toString(),
            "--duration",
            "24h"));
    Process capture;
    try {
      capture =
          new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      removeCgroup(cgroup);
      throw new FixLoopException(
          FixLoopException.Kind.REPRO, "cannot start the capture: " + e.getMessage(), e);
    }
    Session session = new CapturedRun(capture, cgroup, store, log);
    try {
      awaitAttached(capture, log);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  private static void awaitAttached(Process capture, Path log) {
    long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (read(log).contains(ATTACHED)) {
          return;
        }
        if (!capture.isAlive()) {
          throw new FixLoopException(
              FixLoopException.Kind.REPRO,
              "the capture of the run did not start (exit "
                  + capture.exitValue()
                  + "): "
                  + tail(log));
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FixLoopException(
          FixLoopException.Kind.CANCELLED, "interrupted while the capture started", e);
    }
    throw new FixLoopException(
        FixLoopException.Kind.REPRO,
        "the capture of the run did not attach within "
            + ATTACH_TIMEOUT.toSeconds()
            + " s: "
            + tail(log));
  }

  /** This program's command line, for a capture in a JVM of its own. */
  static List<String> self() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> argv = new ArrayList<>(List.of(java));
    argv.addAll(List.of(JVM_FLAGS.split(" ")));
    for (String property : List.of("tracefix.keys", "tracefix.home")) {
      String value = System.getProperty(property);
      if (value != null) {
        argv.add("-D" + property + "=" + value);
      }
    }
    argv.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "dev.tracefix.server.cli.Main"));
    return argv;
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(Path log) {
    String text = read(log).strip();
    return text.length() > 1500 ? "..." + text.substring(text.length() - 1500) : text;
  }

  private static void removeCgroup(Path cgroup) {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        Files.deleteIfExists(cgroup);
        return;
      } catch (IOException busy) {
        // processes killed a moment ago may not have left the cgroup yet
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static final class CapturedRun implements Session {
    private final Process capture;
    private final Path cgroup;
    private final Path store;
    private final Path log;

    CapturedRun(Process capture, Path cgroup, Path store, Path log) {
      this.capture = capture;
      this.cgroup = cgroup;
      this.store = store;
      this.log = log;
    }

    @Override
    public List<String> enter() {
      String procs = cgroup.resolve("cgroup.procs").toString().replace("'", "'\\''");
      return List.of("sh", "-c", "echo $$ > '" + procs + "' && exec \"$@\"", "tracefix-run");
    }

    @Override
    public Optional<String> stopAndQuery(String sql, Duration timeout) {
      stop();
      Properties readOnly = new Properties();
      readOnly.setProperty("duckdb.read_only", "true");
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + store, readOnly)) {
        requireStored(c);
        ReadOnlyQuery.Result result = ReadOnlyQuery.run(c, sql, 1, timeout);
        return result.rows().stream()
            .findFirst()
            .map(row -> row.stream().map(String::valueOf).collect(Collectors.joining(", ")));
      } catch (ReadOnlyQuery.Refused e) {
        throw new FixLoopException(
            FixLoopException.Kind.USER, "capture-query: " + e.getMessage(), e);
      } catch (SQLException e) {
        throw new FixLoopException(
            FixLoopException.Kind.REPRO,
            "capture-query failed on the capture of the run: " + e.getMessage(),
            e);
      }
    }

    /** SIGINT, as Ctrl-C: the capture drains, detaches and stores, then exits. */
    private void stop() {
      try {
        new ProcessBuilder("kill", "-INT", Long.toString(capture.pid()))
            .inheritIO()
            .start()
            .waitFor();
        if (!capture.waitFor(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new FixLoopException(
              FixLoopException.Kind.REPRO,
              "the capture of the run did not store within "
                  + STORE_TIMEOUT.toSeconds()
                  + " s: "
                  + tail(log));
        }
      } catch (IOException e) {
        throw new FixLoopException(
            FixLoopException.Kind.REPRO, "cannot stop the capture: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FixLoopException(
            FixLoopException.Kind.CANCELLED, "interrupted while the capture stored", e);
      }
      // 130: the JVM ended on the SIGINT, after the capture command stored what it had.
      if (capture.exitValue() != 0 && capture.exitValue() != 130) {
        throw new FixLoopException(
            FixLoopException.Kind.REPRO,
            "the capture of the run failed (exit " + capture.exitValue() + "): " + tail(log));
      }
    }

    /**
     * Whether the capture's row says it ended (a capture cut off mid-store leaves ended_at NULL).
     */
    private void requireStored(Connection c) throws SQLException {
      try (var s = c.createStatement();
          var rs = s.executeQuery("SELECT count(*) FROM captures WHERE ended_at IS NOT NULL")) {
        rs.next();
        if (rs.getLong(1) == 0) {
          throw new FixLoopException(
              FixLoopException.Kind.REPRO,
              "the capture of the run was not stored completely: " + tail(log));
        }
      }
    }

    @Override
    public void close() {
      if (capture.isAlive()) {
        capture.destroyForcibly();
        try {
          capture.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      removeCgroup(cgroup);
      // The store, its .wal and spool folder, the log: everything of this run is named after its
      // id.
      String id = cgroup.getFileName().toString();
      try (var made = Files.list(store.getParent())) {
        for (Path p : made.filter(f -> f.getFileName().toString().startsWith(id)).toList()) {
          deleteTree(p);
        }
      } catch (IOException ignored) {
        // scratch is removed with the run's work folder
      }
    }

    private static void deleteTree(Path p) throws IOException {
      if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try (var children = Files.list(p)) {
          for (Path c : children.toList()) {
            deleteTree(c);
          }
        }
      }
      Files.deleteIfExists(p);
    }
  }
}

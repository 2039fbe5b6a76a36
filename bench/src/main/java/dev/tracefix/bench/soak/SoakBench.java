package dev.tracefix.bench.soak;

import dev.tracefix.server.http.WorkbenchServer;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.sink.EventStore;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A long run of everything at once: a kernel capture of a busy workload ingesting into its store,
 * and a workbench serving 20 notebook sessions whose cells run back to back over loopback HTTP.
 * Every second it samples resident memory and open file descriptors of the workbench (this JVM) and
 * of the capture process; at the end it checks the capture's counts and prints the samples' range
 * and trend.
 *
 * <p>Usage: {@code SoakBench SECONDS WORK_DIR RECORDED_CAPTURE_DIR}
 */
public final class SoakBench {
  private static final String TOKEN = "soak-token_0123456789";
  private static final int SESSIONS = 20;
  private static final String NOTEBOOK =
      """
      # Soak %d

      ```sql name=by_type
      SELECT type, count(*) AS n, avg(duration_ns) AS mean_ns FROM events GROUP BY type
      ```

      ```sql name=by_process
      SELECT p.comm, count(*) AS n FROM events e
      JOIN processes p ON p.token = e.process_token AND p.capture_id = e.capture_id GROUP BY 1
      ```
      """;

  /**
   * One second's sample: resident memory and open fds of the workbench and of the capture, and the
   * workbench's heap after its last collection (what it keeps alive, apart from the garbage a
   * resident-set figure also counts).
   */
  public record Sample(
      long second,
      long serverRssKib,
      int serverFds,
      long serverHeapAfterGcKib,
      long captureRssKib,
      int captureFds) {}

  /**
   * The capture's heap after one collection, from its GC log: seconds since its start, KiB, and
   * whether it was a full collection.
   */
  public record GcPoint(double second, long heapAfterKib, boolean full) {}

  /** What a soak run saw. Counts are summed over the capture's event types. */
  public record Result(
      List<Sample> samples,
      long cellRuns,
      long failedRuns,
      int captureExit,
      long produced,
      long stored,
      long dropped,
      long eventRows,
      long eventCount,
      List<String> captureErrors,
      List<GcPoint> captureGcs,
      List<long[]> liveHeap) {
    public boolean countsExact() {
      return produced == stored + dropped && stored == eventRows && eventRows == eventCount;
    }
  }

  public static void main(String[] args) throws Exception {
    Result r = run(Duration.ofSeconds(Long.parseLong(args[0])), Path.of(args[1]), Path.of(args[2]));
    report(r, System.out);
  }

  public static Result run(Duration length, Path work, Path recorded) throws Exception {
    Path notebooks = Files.createDirectories(work.resolve("notebooks"));
    for (int i = 0; i < SESSIONS; i++) {
      Files.writeString(notebooks.resolve("soak-" + i + ".md"), NOTEBOOK.formatted(i));
    }
    Path served = work.resolve("served.duckdb");
    try (EventStore store = EventStore.open(served)) {
      store.importParquet(recorded);
    }
    Path captured = work.resolve("captured.duckdb");
    Process capture = startCapture(work, captured, length);
    // The soak's clock starts when the probes are on (the workload starts then too): a loaded
    // machine can take tens of seconds to start a JVM and load the programs.
    awaitAttached(capture, work.resolve("capture.err"));
    List<Sample> samples = new ArrayList<>();
    List<long[]> liveHeap = new ArrayList<>(); // second, workbench KiB, capture KiB
    AtomicLong runs = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    try (FileNotebookWorkspace workspace =
            new FileNotebookWorkspace(
                notebooks, NotebookDatabases.unlocked(served), work, Map.of());
        WorkbenchServer server = WorkbenchServer.start(workspace, 0, TOKEN)) {
      String base = "http://127.0.0.1:" + server.port();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      AtomicBoolean done = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        String nb = "soak-" + i + ".md";
        clients.add(
            Thread.ofPlatform()
                .daemon()
                .start(
                    () -> {
                      for (int n = 0; !done.get(); n++) {
                        String cell = n % 2 == 0 ? "by_type" : "by_process";
                        runs.incrementAndGet();
                        try {
                          HttpResponse<String> r =
                              http.send(
                                  HttpRequest.newBuilder(
                                          URI.create(
                                              base
                                                  + "/api/notebooks/"
                                                  + nb
                                                  + "/cells/"
                                                  + cell
                                                  + "/run"))
                                      .header("Authorization", "Bearer " + TOKEN)
                                      .POST(HttpRequest.BodyPublishers.noBody())
                                      .build(),
                                  HttpResponse.BodyHandlers.ofString());
                          if (r.statusCode() != 200 || r.body().contains("\"kind\":\"error\"")) {
                            failed.incrementAndGet();
                          }
                        } catch (IOException | InterruptedException e) {
                          failed.incrementAndGet();
                        }
                      }
                    }));
      }
      long start = System.nanoTime();
      for (long second = 1; capture.isAlive(); second++) {
        long wake = start + TimeUnit.SECONDS.toNanos(second);
        long sleepMs = TimeUnit.NANOSECONDS.toMillis(wake - System.nanoTime());
        if (sleepMs > 0) {
          capture.waitFor(sleepMs, TimeUnit.MILLISECONDS);
        }
        if (!capture.isAlive()) {
          break;
        }
        long self = ProcessHandle.current().pid();
        // What each JVM keeps alive, by a full collection at a quarter of the run and near its
        // end: heap after young collections also holds garbage awaiting G1's next old-gen cycle.
        if (second == length.toSeconds() / 4 || second == length.toSeconds() - 5) {
          liveHeap.add(
              new long[] {
                second, liveHeapKib(), fullGc(capture.pid(), work.resolve("capture-gc.log"))
              });
        }
        samples.add(
            new Sample(
                second,
                rssKib(self),
                fds(self),
                heapAfterLastGcKib(),
                rssKib(capture.pid()),
                fds(capture.pid())));
      }
      done.set(true);
      for (Thread t : clients) {
        t.join();
      }
    }
    int exit = capture.waitFor();
    List<String> errors =
        Files.readAllLines(work.resolve("capture.err")).stream()
            // tracefix's own warnings and any error; Arrow's start-up note on its allocator is not
            // one
            .filter(
                l -> l.contains("Exception") || l.contains("ERROR") || l.contains("WARN tracefix"))
            .toList();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + captured);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "WITH t AS (SELECT DISTINCT type FROM events)"
                    + " SELECT (SELECT sum(produced) FROM capture_stats WHERE type IN (FROM t)),"
                    + " (SELECT sum(stored) FROM capture_stats WHERE type IN (FROM t)),"
                    + " (SELECT sum(dropped) FROM capture_stats WHERE type IN (FROM t)),"
                    + " (SELECT count(*) FROM events), (SELECT sum(event_count) FROM captures)")) {
      rs.next();
      return new Result(
          samples,
          runs.get(),
          failed.get(),
          exit,
          rs.getLong(1),
          rs.getLong(2),
          rs.getLong(3),
          rs.getLong(4),
          rs.getLong(5),
          errors,
          gcPoints(work.resolve("capture-gc.log")),
          liveHeap);
    }
  }

  private static Process startCapture(Path work, Path db, Duration length) throws IOException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Xmx256m", // the launcher's default cap for a capture (TRACEFIX_CAPTURE_HEAP)
            // Its heap after each collection: whether what it keeps alive grows, apart from how
            // much heap the JVM has taken from the system so far.
            "-Xlog:gc:file=" + work.resolve("capture-gc.log"),
            "-cp",
            System.getProperty("java.class.path"),
            "dev.tracefix.server.cli.Main",
            "capture",
            "--db",
            db.toString(),
            "--keys",
            work.resolve("keys").toString(),
            // The workload ends itself after the soak's length, so the capture ends with its exit
            // code (0); the duration is only a backstop.
            "--duration",
            (length.toSeconds() + 120) + "s",
            "--",
            "sh",
            "-c",
            "end=$(($(date +%s) + "
                + length.toSeconds()
                + ")); while [ $(date +%s) -lt $end ];"
                + " do dd if=/dev/zero of=/dev/null bs=1 count=500 2>/dev/null; sleep 0.02; done");
    return new ProcessBuilder(command)
        .redirectOutput(work.resolve("capture.out").toFile())
        .redirectError(work.resolve("capture.err").toFile())
        .start();
  }

  private static void awaitAttached(Process capture, Path err) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (Files.exists(err) && Files.readString(err).contains("probes attached")) {
        return;
      }
      if (!capture.isAlive()) {
        throw new IllegalStateException(
            "capture exited with " + capture.exitValue() + ": " + Files.readString(err));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("capture did not attach within 5 minutes");
  }

  /** The heap in use right after this JVM's most recent collection, in KiB (-1: none yet). */
  private static long heapAfterLastGcKib() {
    com.sun.management.GcInfo latest = null;
    for (var bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (bean instanceof com.sun.management.GarbageCollectorMXBean gc) {
        com.sun.management.GcInfo info = gc.getLastGcInfo();
        if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
          latest = info;
        }
      }
    }
    if (latest == null) {
      return -1;
    }
    Set<String> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    return latest.getMemoryUsageAfterGc().entrySet().stream()
            .filter(e -> heapPools.contains(e.getKey()))
            .mapToLong(e -> e.getValue().getUsed())
            .sum()
        >> 10;
  }

  /** Heap in use in this JVM after a full collection, in KiB. */
  private static long liveHeapKib() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 10;
  }

  /**
   * Asks the capture's JVM for a full collection ({@code jcmd PID GC.run}, the JDK's own tool) and
   * answers its heap after it, from the GC log it writes (-1 when it cannot be told).
   */
  private static long fullGc(long pid, Path gcLog) {
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(pid),
                  "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
        return -1;
      }
      Thread.sleep(500); // the log line follows the collection
      return gcPoints(gcLog).stream()
          .filter(GcPoint::full)
          .reduce((first, second) -> second)
          .map(GcPoint::heapAfterKib)
          .orElse(-1L);
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  /**
   * Heap after each collection in a unified GC log ({@code [1.234s][info][gc] ... 40M->12M(64M)}).
   */
  static List<GcPoint> gcPoints(Path log) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    Pattern line =
        Pattern.compile("^\\[([0-9.]+)s\\].*\\s[0-9]+([KMG])->([0-9]+)([KMG])\\([0-9]+[KMG]\\)");
    List<GcPoint> points = new ArrayList<>();
    for (String l : Files.readAllLines(log)) {
      Matcher m = line.matcher(l);
      if (m.find()) {
        long kib =
            Long.parseLong(m.group(3))
                * switch (m.group(4)) {
                  case "G" -> 1L << 20;
                  case "M" -> 1L << 10;
                  default -> 1L;
                };
        points.add(new GcPoint(Double.parseDouble(m.group(1)), kib, l.contains("Pause Full")));
      }
    }
    return points;
  }

  private static long rssKib(long pid) {
    try (Stream<String> lines = Files.lines(Path.of("/proc", "" + pid, "status"))) {
      return lines
          .filter(l -> l.startsWith("VmRSS:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
          .findFirst()
          .orElse(-1);
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }

  /**
   * Open descriptors other than the classpath's jars: the class loader opens a jar the first time a
   * class of it is needed and keeps it (185 of them in a capture), so they step up whenever a new
   * code path runs and say nothing about leaks.
   */
  private static int fds(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", "" + pid, "fd"))) {
      return (int) fds.filter(fd -> !target(fd).endsWith(".jar")).count();
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }

  private static String target(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException closedMeanwhile) {
      return "";
    }
  }

  /** Least-squares slope of {@code values} per sample (one a second), over the second half. */
  public static double slopePerMinute(List<Long> values) {
    List<Long> half = values.subList(values.size() / 2, values.size());
    int n = half.size();
    if (n < 2) {
      return 0;
    }
    double meanX = (n - 1) / 2.0;
    double meanY = half.stream().mapToLong(Long::longValue).average().orElse(0);
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      num += (i - meanX) * (half.get(i) - meanY);
      den += (i - meanX) * (i - meanX);
    }
    return num / den * 60;
  }

  /**
   * Least-squares slope of heap after GC against the time of the collection, KiB per minute, over
   * the collections of the second half of the log's time span.
   */
  static double gcTrendPerMinute(List<GcPoint> points) {
    if (points.size() < 2) {
      return 0;
    }
    double middle = (points.getFirst().second() + points.getLast().second()) / 2;
    List<GcPoint> half = points.stream().filter(p -> p.second() >= middle).toList();
    int n = half.size();
    if (n < 2) {
      return 0;
    }
    double meanX = half.stream().mapToDouble(GcPoint::second).average().orElse(0);
    double meanY = half.stream().mapToLong(GcPoint::heapAfterKib).average().orElse(0);
    double num = 0;
    double den = 0;
    for (GcPoint p : half) {
      num += (p.second() - meanX) * (p.heapAfterKib() - meanY);
      den += (p.second() - meanX) * (p.second() - meanX);
    }
    return den == 0 ? 0 : num / den * 60;
  }

  public static void report(Result r, PrintStream out) {
    List<Long> serverRss = r.samples().stream().map(Sample::serverRssKib).toList();
    List<Long> captureRss =
        r.samples().stream().map(Sample::captureRssKib).filter(k -> k >= 0).toList();
    out.printf(
        "soak: %d s sampled, %d cell runs (%d failed), capture exit %d%n",
        r.samples().size(), r.cellRuns(), r.failedRuns(), r.captureExit());
    out.printf(
        "  workbench RSS MiB: min %d, max %d, last %d, trend over the second half %+.1f MiB/min%n",
        min(serverRss) >> 10,
        max(serverRss) >> 10,
        serverRss.getLast() >> 10,
        slopePerMinute(serverRss) / 1024);
    out.printf(
        "  capture RSS MiB: min %d, max %d, last %d, trend over the second half %+.1f MiB/min%n",
        min(captureRss) >> 10,
        max(captureRss) >> 10,
        captureRss.getLast() >> 10,
        slopePerMinute(captureRss) / 1024);
    List<Long> serverHeap =
        r.samples().stream().map(Sample::serverHeapAfterGcKib).filter(k -> k >= 0).toList();
    if (!serverHeap.isEmpty()) {
      out.printf(
          "  workbench heap after GC MiB: min %d, max %d, last %d, trend over the second half"
              + " %+.1f MiB/min%n",
          min(serverHeap) >> 10,
          max(serverHeap) >> 10,
          serverHeap.getLast() >> 10,
          slopePerMinute(serverHeap) / 1024);
    }
    for (long[] live : r.liveHeap()) {
      out.printf(
          "  live heap after a full collection at %d s: workbench %d MiB, capture %s%n",
          live[0], live[1] >> 10, live[2] < 0 ? "unknown" : (live[2] >> 10) + " MiB");
    }
    List<GcPoint> gcs = r.captureGcs().stream().filter(g -> !g.full()).toList();
    if (gcs.size() >= 4) {
      List<Long> after = gcs.stream().map(GcPoint::heapAfterKib).toList();
      out.printf(
          "  capture heap after GC MiB: min %d, max %d, last %d over %d collections, trend over the"
              + " second half %+.1f MiB/min%n",
          min(after) >> 10,
          max(after) >> 10,
          after.getLast() >> 10,
          gcs.size(),
          gcTrendPerMinute(gcs) / 1024);
    }
    out.printf(
        "  fds: workbench %d..%d, capture %d..%d%n",
        r.samples().stream().mapToInt(Sample::serverFds).min().orElse(-1),
        r.samples().stream().mapToInt(Sample::serverFds).max().orElse(-1),
        r.samples().stream().mapToInt(Sample::captureFds).min().orElse(-1),
        r.samples().stream().mapToInt(Sample::captureFds).max().orElse(-1));
    out.printf(
        "  capture counts: produced %d = stored %d + dropped %d; events rows %d, event_count %d"
            + " (%s); log errors %d%n",
        r.produced(),
        r.stored(),
        r.dropped(),
        r.eventRows(),
        r.eventCount(),
        r.countsExact() ? "exact" : "NOT exact",
        r.captureErrors().size());
    // The capture's log goes away with the work folder: its errors are shown here.
    r.captureErrors().stream().limit(10).forEach(l -> out.println("    capture log: " + l));
  }

  private static long min(List<Long> v) {
    return v.stream().mapToLong(Long::longValue).min().orElse(-1);
  }

  private static long max(List<Long> v) {
    return v.stream().mapToLong(Long::longValue).max().orElse(-1);
  }
}

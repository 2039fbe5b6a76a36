package dev.tracefix.bench.workbench;

import dev.tracefix.server.http.WorkbenchServer;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.sink.EventStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many people on one workbench: N notebooks (sessions) over the recorded capture, R cell runs fired
 * from C concurrent clients over loopback HTTP, while a probe asks for the notebook list every 100
 * ms as a person opening the page would. Prints run and probe latency percentiles, failures, and
 * the server's heap (sampled every 50 ms) before, at peak and after.
 *
 * <p>Usage: {@code ConcurrencyBench SESSIONS RUNS CLIENTS WORK_DIR RECORDED_CAPTURE_DIR}
 */
public final class ConcurrencyBench {
  private static final String TOKEN = "bench-token_0123456789";
  private static final String NOTEBOOK =
      """
      # Bench %d

      ```sql name=by_type
      SELECT type, count(*) AS n, avg(duration_ns) AS mean_ns FROM events GROUP BY type ORDER BY n DESC
      ```

      ```sql name=by_process
      SELECT p.comm, count(*) AS n
      FROM events e JOIN processes p ON p.token = e.process_token AND p.capture_id = e.capture_id
      GROUP BY p.comm ORDER BY n DESC
      ```

      ```sql name=errors
      SELECT errno_name, count(*) AS n FROM events WHERE errno <> 0 GROUP BY ALL
      ```
      """;
  private static final String[] CELLS = {"by_type", "by_process", "errors"};

  public static void main(String[] args) throws Exception {
    int sessions = Integer.parseInt(args[0]);
    int runs = Integer.parseInt(args[1]);
    int clients = Integer.parseInt(args[2]);
    Path work = Path.of(args[3]);
    Path recorded = Path.of(args[4]);
    Path notebooks = Files.createDirectories(work.resolve("notebooks"));
    for (int i = 0; i < sessions; i++) {
      Files.writeString(notebooks.resolve("nb-" + i + ".md"), NOTEBOOK.formatted(i));
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Path dbFile = work.resolve("bench.duckdb");
    long rows;
    try (EventStore store = EventStore.open(dbFile)) {
      rows = store.importParquet(recorded);
    }
    // As serve does: the store is closed, each notebook attaches it read-only in its own DuckDB.
    try (FileNotebookWorkspace workspace =
            new FileNotebookWorkspace(
                notebooks, NotebookDatabases.unlocked(dbFile), work, Map.of());
        WorkbenchServer server = WorkbenchServer.start(workspace, 0, TOKEN)) {
      String base = "http://127.0.0.1:" + server.port();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();
      AtomicLong heapPeak = new AtomicLong(heapBefore);
      AtomicBoolean done = new AtomicBoolean();
      Thread sampler =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (!done.get()) {
                      heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                      sleep(50);
                    }
                  });
      List<Long> probeMs = Collections.synchronizedList(new ArrayList<>());
      Thread probe =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (!done.get()) {
                      long t = System.nanoTime();
                      try {
                        http.send(
                            get(base + "/api/notebooks"), HttpResponse.BodyHandlers.discarding());
                        probeMs.add((System.nanoTime() - t) / 1_000_000);
                      } catch (Exception e) {
                        probeMs.add(-1L);
                      }
                      sleep(100);
                    }
                  });

      Semaphore inFlight = new Semaphore(clients);
      List<Long> runMs = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger failed = new AtomicInteger();
      List<CompletableFuture<?>> all = new ArrayList<>();
      long started = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        inFlight.acquire();
        String nb = "nb-" + (i % sessions) + ".md";
        String cell = CELLS[(i / sessions) % CELLS.length];
        long t = System.nanoTime();
        all.add(
            http.sendAsync(
                    HttpRequest.newBuilder(
                            URI.create(base + "/api/notebooks/" + nb + "/cells/" + cell + "/run"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .whenComplete(
                    (r, e) -> {
                      runMs.add((System.nanoTime() - t) / 1_000_000);
                      if (e != null
                          || r.statusCode() != 200
                          || r.body().contains("\"kind\":\"error\"")) {
                        failed.incrementAndGet();
                      }
                      inFlight.release();
                    }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
      long wallMs = (System.nanoTime() - started) / 1_000_000;
      done.set(true);
      probe.join();
      sampler.join();
      System.gc();
      long heapAfter = memory.getHeapMemoryUsage().getUsed();
      System.out.printf(
          "workbench concurrency: %d sessions, %d cell runs from %d clients over %d event rows%n",
          sessions, runs, clients, rows);
      System.out.printf(
          "  wall %d ms, %.0f runs/s, failed %d%n", wallMs, runs * 1000.0 / wallMs, failed.get());
      System.out.printf("  run latency ms: %s%n", percentiles(runMs));
      System.out.printf(
          "  notebook list while loaded (%d probes) ms: %s%n",
          probeMs.size(), percentiles(probeMs));
      System.out.printf(
          "  server heap MiB: before %d, peak %d, after %d (max %d)%n",
          heapBefore >> 20,
          heapPeak.get() >> 20,
          heapAfter >> 20,
          memory.getHeapMemoryUsage().getMax() >> 20);
    }
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + TOKEN)
        .build();
  }

  private static String percentiles(List<Long> samples) {
    List<Long> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return "none";
    }
    return "p50 %d, p95 %d, p99 %d, max %d"
        .formatted(at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted.getLast());
  }

  private static long at(List<Long> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

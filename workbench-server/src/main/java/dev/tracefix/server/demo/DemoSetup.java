package dev.tracefix.server.demo;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.server.capture.CaptureRecorder;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.StoreOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;

/**
 * Prepares the demo: the sample service's git history, then events in a fresh database, captured
 * live with eBPF while the sample runs under load, or, where eBPF is unavailable, loaded from the
 * recorded capture shipped in {@code examples/recorded-capture} (made by this same pipeline).
 */
public final class DemoSetup {
  /** Where the demo works, relative to the project: ignored by git. */
  public static final String WORK_DIR = "demo-work";

  /** Arrow memory of demo stores; each takes a child it closes with itself. */
  private static final RootAllocator DEMO_MEMORY = new RootAllocator();

  private final Path home;
  private final PrintStream log;

  public DemoSetup(Path home, PrintStream log) {
    this.home = home;
    this.log = log;
  }

  public Path workDir() {
    return home.resolve(WORK_DIR);
  }

  public Path sampleRepo() {
    return workDir().resolve("timeout-service");
  }

  public Path database() {
    return workDir().resolve("demo.duckdb");
  }

  /** Where the sample service's own output goes during a live capture, not to the terminal. */
  public Path sampleLog() {
    return workDir().resolve("sample-service.log");
  }

  public Path recordedCapture() {
    return home.resolve("examples").resolve("recorded-capture");
  }

  /** Recreates the sample repository from its history script. */
  public void buildSampleRepo() {
    deleteRecursively(sampleRepo());
    log.println("demo: building the sample service's git history in " + sampleRepo());
    Path script = home.resolve("examples/timeout-service/build-history.sh");
    ProcessRunner.runChecked(
        List.of("bash", script.toString(), sampleRepo().toString()), home, log);
  }

  /**
   * Opens a fresh demo database filled with events, captured live unless {@code recorded} is set or
   * eBPF is unavailable here; the caller owns the store.
   */
  public EventStore freshStoreWithEvents(Duration loadDuration, boolean recorded) {
    deleteRecursively(database());
    deleteRecursively(Path.of(database() + ".wal"));
    // KEEP_ALL: the demo database is rebuilt on every run, and the recorded capture it may load
    // (dated 2026-11-25) must not age out under the default policy's 14 days of events.
    EventStore store =
        EventStore.open(
            database(), DEMO_MEMORY, StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL));
    Optional<String> unavailable = Capture.unavailableReason();
    if (!recorded && unavailable.isEmpty()) {
      captureLive(store, loadDuration);
      return store;
    }
    unavailable
        .filter(reason -> !recorded)
        .ifPresent(
            reason -> log.println("demo: eBPF capture is unavailable here (" + reason + ")"));
    log.println("demo: loading the recorded capture from " + recordedCapture());
    long rows = store.importParquet(recordedCapture());
    log.println("demo: loaded " + rows + " recorded rows");
    return store;
  }

  private void captureLive(EventStore store, Duration loadDuration) {
    Path load = home.resolve("examples/timeout-service/load.sh");
    // The sample's lines ("inventory listening on ...", the load driver's per-second counts)
    // go to a log file, so demo --check prints only its summary line.
    List<String> command =
        List.of(
            "bash",
            "-c",
            "log=$1; shift; exec \"$@\" >\"$log\" 2>&1",
            "demo-sample",
            sampleLog().toString(),
            "bash",
            load.toString(),
            Long.toString(loadDuration.toSeconds()),
            sampleRepo().toString());
    log.println("demo: capturing live events while the sample service runs under load...");
    log.println("demo: the sample service's output goes to " + sampleLog());
    CaptureConfig config =
        new CaptureConfig(
            loadDuration.plusSeconds(60), OptionalInt.empty(), command, workDir().resolve("keys"));
    CaptureSummary summary = CaptureRecorder.record(config, store);
    log.printf(
        "demo: captured %d events, %d drops (load exit code %d)%n",
        summary.eventCount(), summary.dropCount(), summary.commandExitCode());
  }

  static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}

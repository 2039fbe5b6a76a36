package dev.tracefix.server.capture;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.LiveStats;
import dev.tracefix.capture.ProbeGroup;
import dev.tracefix.capture.TypeStats;
import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.capture.privacy.PrivacyEngine;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.kernel.sql.AttachedCaptures;
import dev.tracefix.sink.EventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Bounded captures started from the workbench, one at a time: each writes a store file of its own
 * in {@link AttachedCaptures#folder} under the project's privacy policy and key store, exactly as
 * {@code tracefix capture} does, and once it has ended and its file is closed, notebooks read it as
 * catalog {@code live_N} ({@link AttachedCaptures}). Snapshots go to the listeners about once a
 * second. With {@link LiveCaptureRequest#jfr} the target JVM's flight recorder streams into the
 * same capture through {@link AttachedJvmRecording}, as with {@code tracefix capture --jfr --pid}.
 */
public final class LiveCaptures {
  /** Refused because this process may not capture (not root, no CAP_BPF, no BTF): HTTP 403. */
  public static final class NotAllowed extends RuntimeException {
    NotAllowed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final AttachedCaptures attached;
  private final Path policyFile;
  private final Path keyDir;
  private final int maxSeconds;
  private final List<Consumer<LiveCaptureStatus>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicInteger counter = new AtomicInteger();
  private final Map<String, LiveCapture> captures = new ConcurrentHashMap<>();
  private LiveCapture running;

  /**
   * @param policyFile the policy {@code tracefix capture} would apply, or null for the built-in one
   * @param keyDir the key store {@code tracefix capture} would use
   * @param maxSeconds the longest capture a request may ask for
   */
  public LiveCaptures(AttachedCaptures attached, Path policyFile, Path keyDir, int maxSeconds) {
    this.attached = attached;
    this.policyFile = policyFile;
    this.keyDir = keyDir;
    this.maxSeconds = maxSeconds;
  }

  /** {@code listener} gets every snapshot and the final state of every capture from now on. */
  public void addListener(Consumer<LiveCaptureStatus> listener) {
    listeners.add(listener);
  }

  public int maxSeconds() {
    return maxSeconds;
  }

  /**
   * Starts a capture; 400 for a bad request, 403 when this process cannot capture, 409 if one runs.
   */
  public synchronized LiveCaptureStatus start(LiveCaptureRequest request) {
    CaptureConfig config = config(request);
    try {
      Capture.requireAvailable();
    } catch (CaptureException e) {
      throw new NotAllowed(
          "live capture needs root (CAP_BPF and CAP_PERFMON) and a kernel with BTF: "
              + e.getMessage(),
          e);
    }
    if (running != null && running.isRunning()) {
      throw new ServerException(
          ServerException.Kind.CONFLICT,
          "capture " + running.id() + " is running; stop it or wait for it to end");
    }
    // Fail closed before anything is created: a broken policy stops the capture here.
    Policy policy = PolicyLoader.loadOrDefault(config.policyFile());
    // So does a target that runs no JVM or cannot be attached, as for tracefix capture --jfr.
    AttachedJvmRecording jvm = request.jfr() ? attach(request.pid(), policy) : null;
    int n = counter.incrementAndGet();
    Path file;
    EventStore store;
    try {
      file =
          Files.createDirectories(attached.folder())
              .resolve("live-" + n + "-" + System.currentTimeMillis() + ".duckdb");
      store = EventStore.open(file);
    } catch (IOException | RuntimeException e) {
      if (jvm != null) {
        jvm.close();
      }
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    LiveCapture capture =
        new LiveCapture(
            "live-" + n,
            new AttachedCaptures.Attached("live_" + n, file),
            request.seconds(),
            status -> listeners.forEach(l -> l.accept(status)));
    captures.put(capture.id(), capture);
    running = capture;
    capture.start(
        () -> {
          // The JVM's recording is released whatever fails, before the store closes.
          try (store;
              AttachedJvmRecording releasedFirst = jvm) {
            return CaptureRecorder.record(
                config,
                store,
                capture.observer(),
                health -> {},
                dev.tracefix.sink.IngestOptions.STREAMING,
                jvm);
          }
        },
        attached::add);
    return capture.status();
  }

  public Optional<LiveCaptureStatus> status(String id) {
    return Optional.ofNullable(captures.get(id)).map(LiveCapture::status);
  }

  /** Stops a running capture early; it still drains and is stored. */
  public LiveCaptureStatus stop(String id) {
    LiveCapture capture = captures.get(id);
    if (capture == null) {
      throw new ServerException(ServerException.Kind.NOT_FOUND, "no live capture " + id);
    }
    capture.stop();
    return capture.status();
  }

  /** Stops a running capture and waits for it, when the server closes. */
  public void close() {
    LiveCapture last = running;
    if (last != null) {
      last.stop();
      last.await();
    }
  }

  /**
   * Attaches to the JVM of {@code pid}, its events to be redacted by {@code policy} under the
   * capture's key: 400 with the reason when the process runs no JVM or cannot be attached.
   */
  private AttachedJvmRecording attach(int pid, Policy policy) {
    HmacKey key = KeyStore.current(keyDir);
    try {
      return AttachedJvmRecording.attach(pid, new PrivacyEngine(policy, key), key);
    } catch (CaptureException e) {
      if (e.kind() != CaptureException.Kind.USER) {
        throw e;
      }
      throw invalid(e.getMessage());
    }
  }

  private CaptureConfig config(LiveCaptureRequest request) {
    if (request == null) {
      throw invalid("a capture needs a JSON body like {\"probes\":[\"default\"],\"seconds\":5}");
    }
    if (request.seconds() < 1 || request.seconds() > maxSeconds) {
      throw invalid(
          "seconds must be 1 to "
              + maxSeconds
              + " (the server's maximum), not "
              + request.seconds());
    }
    List<String> cgroups = request.cgroups() == null ? List.of() : request.cgroups();
    if (request.pid() == null && cgroups.isEmpty()) {
      throw invalid("name a pid or a cgroup to capture: the whole host is not captured from here");
    }
    if (request.jfr() && request.pid() == null) {
      throw invalid(
          "jfr streams a JVM's flight recorder into the capture: name that JVM's pid as the"
              + " target");
    }
    if (request.pid() != null
        && (request.pid() < 1 || !Files.isDirectory(Path.of("/proc", request.pid().toString())))) {
      throw invalid("no process with pid " + request.pid());
    }
    try {
      List<String> probes =
          request.probes() == null || request.probes().isEmpty()
              ? List.of("default")
              : request.probes();
      CaptureConfig config =
          new CaptureConfig(
                  Duration.ofSeconds(request.seconds()),
                  request.pid() == null ? OptionalInt.empty() : OptionalInt.of(request.pid()),
                  List.of(),
                  keyDir,
                  0,
                  CaptureConfig.DEFAULT_SYSCALLS,
                  List.of())
              .withFilters(cgroups, Map.of(), ProbeGroup.parseList(probes))
              .withPolicy(policyFile);
      Capture.check(config);
      return config;
    } catch (CaptureException | IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static ServerException invalid(String message) {
    return new ServerException(ServerException.Kind.INVALID, message);
  }

  /** Per-type counters and events per second since {@code before} (taken at {@code since}). */
  static List<LiveCaptureStatus.TypeRate> rates(
      List<TypeStats> before, java.time.Instant since, LiveStats now) {
    List<LiveCaptureStatus.TypeRate> rates = new ArrayList<>();
    double seconds = Duration.between(since, now.at()).toNanos() / 1e9;
    for (TypeStats t : now.types()) {
      long earlier = 0;
      for (TypeStats p : before) {
        if (p.type().equals(t.type())) {
          earlier = p.produced();
        }
      }
      double rate = seconds > 0 ? (t.produced() - earlier) / seconds : 0;
      rates.add(
          new LiveCaptureStatus.TypeRate(t.type(), t.produced(), t.stored(), t.dropped(), rate));
    }
    return rates;
  }
}

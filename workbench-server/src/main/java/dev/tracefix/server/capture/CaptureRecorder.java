package dev.tracefix.server.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureObserver;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.privacy.Attestation;
import dev.tracefix.capture.privacy.identity.IdentityText;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.privacy.keys.Tokenizer;
import dev.tracefix.sink.CaptureProvenance;
import dev.tracefix.sink.CaptureWriter;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.IngestOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs one capture straight into an event store: the glue between capture and arrow-sink. */
public final class CaptureRecorder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CaptureRecorder() {}

  /** Captures into the DuckDB file {@code db} and returns what the capture did. */
  public static CaptureSummary record(CaptureConfig config, Path db) {
    Capture.requireAvailable(); // before the database file is created
    try (EventStore store = EventStore.open(db)) {
      return record(config, store);
    }
  }

  /** Captures into an open store. */
  public static CaptureSummary record(CaptureConfig config, EventStore store) {
    return record(config, store, CaptureObserver.NONE);
  }

  /** Captures into an open store while {@code observer} watches the capture. */
  public static CaptureSummary record(
      CaptureConfig config, EventStore store, CaptureObserver observer) {
    return record(config, store, observer, health -> {});
  }

  /**
   * Captures into an open store while {@code observer} watches the capture and {@code spool} gets
   * the spool's health after each snapshot (a full disk shows on {@code /metrics} while it lasts).
   */
  public static CaptureSummary record(
      CaptureConfig config,
      EventStore store,
      CaptureObserver observer,
      java.util.function.Consumer<CaptureWriter.SpoolHealth> spool) {
    return record(config, store, observer, spool, IngestOptions.STREAMING, null);
  }

  /**
   * As {@link #record(CaptureConfig, EventStore, CaptureObserver, java.util.function.Consumer)},
   * with the writer's batches sized and queued by {@code ingest}, and a running JVM's flight
   * recorder streamed into the same capture while it runs when {@code jvm} is not null.
   */
  public static CaptureSummary record(
      CaptureConfig config,
      EventStore store,
      CaptureObserver observer,
      java.util.function.Consumer<CaptureWriter.SpoolHealth> spool,
      IngestOptions ingest,
      AttachedJvmRecording jvm) {
    Capture.check(config); // a run that cannot start must not leave a captures row behind
    String captureId = CaptureSummary.newCaptureId();
    // The host name is whatever its operator chose: it passes the identity rule under the key.
    IdentityText identity = new IdentityText(new Tokenizer(KeyStore.current(config.keyDir())));
    String host = identity.hostname(hostName());
    if (jvm != null) {
      // Before the captures row: a JVM that does not start its recording leaves none behind. Its
      // events wait for the probes (onStarted) and are stored only from then on.
      jvm.begin(store, captureId, config.duration());
    }
    try (CaptureWriter writer = store.beginCapture(captureId, host, ingest)) {
      CaptureObserver watching =
          new CaptureObserver() {
            @Override
            public void onStats(dev.tracefix.capture.LiveStats stats) {
              observer.onStats(jvm == null ? stats : jvm.withJvmTypes(stats));
              spool.accept(writer.spoolHealth());
            }

            @Override
            public boolean stopRequested() {
              return observer.stopRequested(); // a live capture's stop must get through
            }

            @Override
            public void onStarted(java.time.Instant startedAt) {
              observer.onStarted(startedAt);
              if (jvm != null) {
                jvm.windowStarts(startedAt);
              }
            }
          };
      CaptureSummary summary =
          Capture.run(
              config,
              writer,
              watching,
              jvm == null ? dev.tracefix.capture.trigger.ProbeSwitch.NO_JVM : jvm.triggerSwitch());
      if (jvm != null) {
        summary = jvm.end(summary, System.err);
      }
      writer.recordProvenance(provenance(summary.attestation(), policySource(config.policyFile())));
      writer.finish(summary);
      if (jvm != null) {
        jvm.storeProcess();
      }
      CaptureWriter.Loss stored = writer.loss().orElseThrow();
      // One id and one count everywhere: what the captures row and the events table say.
      return summary.asStored(captureId, stored.stored(), stored.lost());
    }
  }

  /** The captures row's policy hash, key ids and attestation (as JSON), from the privacy engine. */
  static CaptureProvenance provenance(Attestation attestation, String policySource) {
    if (attestation == null) {
      return new CaptureProvenance(null, null, policySource, null, null);
    }
    try {
      return new CaptureProvenance(
          null,
          attestation.policyHash(),
          policySource,
          attestation.keyIds(),
          JSON.writeValueAsString(attestation));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the attestation as JSON", e);
    }
  }

  /**
   * Which policy file a capture applied, for its row: {@code built-in}, or the path with the user's
   * home shown as {@code ~} (a home folder's name is often a person's).
   */
  public static String policySource(Path policyFile) {
    if (policyFile == null) {
      return "built-in";
    }
    Path file = policyFile.toAbsolutePath().normalize();
    Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
    String shown =
        file.startsWith(home) && !home.toString().equals("/")
            ? "~/" + home.relativize(file)
            : file.toString();
    return shown.replaceAll("^/(home|Users|var/home)/[^/]+/", "/$1/<USER>/");
  }

  /**
   * The host name as the kernel knows it (this UTS namespace's, without a DNS lookup that may hang
   * with no network), reduced to the characters a partition folder name may hold.
   */
  static String hostName() {
    String name;
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (IOException unknown) {
        name = "localhost";
      }
    }
    String safe = name.replaceAll("[^A-Za-z0-9._:-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
    return safe.isEmpty() ? "localhost" : safe.substring(0, Math.min(safe.length(), 128));
  }
}

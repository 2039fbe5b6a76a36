package dev.tracefix.server.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureObserver;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.privacy.Attestation;
import dev.tracefix.sink.CaptureProvenance;
import dev.tracefix.sink.CaptureWriter;
import dev.tracefix.sink.EventStore;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.UUID;

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
    String captureId = "c-" + UUID.randomUUID().toString().substring(0, 8);
    try (CaptureWriter writer = store.beginCapture(captureId, hostName())) {
      CaptureSummary summary = Capture.run(config, writer, observer);
      writer.recordProvenance(provenance(summary.attestation()));
      writer.finish(summary);
      return summary;
    }
  }

  /** The captures row's policy hash, key ids and attestation (as JSON), from the privacy engine. */
  static CaptureProvenance provenance(Attestation attestation) {
    if (attestation == null) {
      return new CaptureProvenance(null, null, null, null);
    }
    try {
      return new CaptureProvenance(
          null,
          attestation.policyHash(),
          attestation.keyIds(),
          JSON.writeValueAsString(attestation));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the attestation as JSON", e);
    }
  }

  /** The host name, reduced to the characters a partition folder name may hold. */
  private static String hostName() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      name = "localhost";
    }
    String safe = name.replaceAll("[^A-Za-z0-9._:-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
    return safe.isEmpty() ? "localhost" : safe.substring(0, Math.min(safe.length(), 128));
  }
}

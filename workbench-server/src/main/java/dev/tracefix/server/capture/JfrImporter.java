package dev.tracefix.server.capture;

import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.jvm.JfrImportSummary;
import dev.tracefix.capture.jvm.JfrReader;
import dev.tracefix.capture.jvm.JvmIdentity;
import dev.tracefix.capture.privacy.PrivacyEngine;
import dev.tracefix.capture.privacy.identity.IdentityText;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.Tokenizer;
import dev.tracefix.capture.proc.BootIdHash;
import dev.tracefix.capture.proc.ProcFs;
import dev.tracefix.sink.CaptureWriter;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.SinkException;
import dev.tracefix.sink.jvm.JvmEventWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * {@code tracefix import --jfr}: a flight recording into a new capture of the store. Its rows are
 * redacted by {@code engine}, the policy kernel captures use; the JVM's process and thread tokens
 * are those of kernel captures of the same process when its start time can be known (see {@link
 * JvmIdentity}): the process still runs, or the store already holds a capture of it.
 */
public final class JfrImporter {
  /** What an import stored. */
  public record Result(String captureId, long rows, JfrImportSummary summary) {}

  private JfrImporter() {}

  public static Result importFile(Path file, EventStore store, PrivacyEngine engine, HmacKey key) {
    Set<String> knownProcesses = processTokens(store);
    JvmIdentity jvmIdentity =
        JfrReader.identify(
            file,
            (pid, jvmStart) -> JvmIdentity.resolve(pid, jvmStart, key, knownProcesses::contains));
    String captureId = CaptureSummary.newCaptureId();
    IdentityText identity = new IdentityText(new Tokenizer(key));
    String host = identity.hostname(CaptureRecorder.hostName());
    Instant began = Instant.now();
    try (BufferAllocator allocator = new RootAllocator();
        CaptureWriter capture = store.beginCapture(captureId, host);
        JvmEventWriter jvm = new JvmEventWriter(store.connect(), allocator, capture)) {
      JfrImportSummary summary = JfrReader.read(file, jvmIdentity, engine, jvm);
      long rows = jvm.commit();
      capture.recordProvenance(
          CaptureRecorder.provenance(engine.attestation(), CaptureRecorder.policySource(null)));
      capture.finish(
          new CaptureSummary(
              captureId,
              summary.first() == null ? began : summary.first(),
              summary.last() == null ? began : summary.last(),
              List.of("jfr"),
              0,
              0,
              key.keyId(),
              -1,
              List.of(),
              engine.attestation(),
              summary.exactIdentity() ? BootIdHash.of(ProcFs.system().bootId()) : null,
              null));
      return new Result(captureId, rows, summary);
    }
  }

  /**
   * A live capture's recording, read when its JVM exited, into that capture (already finished): the
   * JVM is one of the processes the capture traced, so its identity is found among them.
   */
  public static Result importInto(
      Path file, EventStore store, String captureId, PrivacyEngine engine, HmacKey key) {
    Set<String> traced = processTokens(store, captureId);
    JvmIdentity jvmIdentity =
        JfrReader.identify(
            file, (pid, jvmStart) -> JvmIdentity.resolve(pid, jvmStart, key, traced::contains));
    try (BufferAllocator allocator = new RootAllocator();
        JvmEventWriter jvm = JvmEventWriter.intoFinished(store.connect(), allocator, captureId)) {
      JfrImportSummary summary = JfrReader.read(file, jvmIdentity, engine, jvm);
      long rows = jvm.commit();
      try (Connection c = store.connect();
          java.sql.PreparedStatement update =
              c.prepareStatement(
                  "UPDATE captures SET probes = list_append(coalesce(probes, []), 'jfr')"
                      + " WHERE capture_id = ?")) {
        update.setString(1, captureId);
        update.executeUpdate();
      } catch (SQLException e) {
        throw new SinkException(
            SinkException.Kind.INTERNAL, "recording the jfr probe of capture " + captureId, e);
      }
      return new Result(captureId, rows, summary);
    }
  }

  private static Set<String> processTokens(EventStore store) {
    return processTokens(store, null);
  }

  /** The process tokens the store holds, of one capture or (null) of all. */
  private static Set<String> processTokens(EventStore store, String captureId) {
    Set<String> tokens = new HashSet<>();
    try (Connection c = store.connect();
        java.sql.PreparedStatement s =
            c.prepareStatement(
                "SELECT DISTINCT token FROM processes WHERE ? IS NULL OR capture_id = ?")) {
      s.setString(1, captureId);
      s.setString(2, captureId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          tokens.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new SinkException(SinkException.Kind.INTERNAL, "reading the stored processes", e);
    }
    return tokens;
  }
}

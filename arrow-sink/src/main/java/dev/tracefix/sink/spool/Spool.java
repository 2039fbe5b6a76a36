package dev.tracefix.sink.spool;

import dev.tracefix.capture.FileModes;
import dev.tracefix.sink.SinkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's spool directory: acknowledged batches wait here as segment files until their rows are
 * committed. {@link #recover} ingests what a previous run left behind.
 */
public final class Spool {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

  private final Path dir;
  private final Path quarantine;

  public Spool(Path dir) {
    this.dir = dir;
    this.quarantine = dir.resolve("quarantine");
    try {
      Files.createDirectories(dir, FileModes.active().directoryAttribute());
      FileModes.active().tighten(dir);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot create spool directory " + dir + ": " + e.getMessage(),
          e);
    }
  }

  public Path dir() {
    return dir;
  }

  /**
   * Ingests every segment left in the spool, in the order written; skips ids already recorded,
   * moves unreadable segments (and unfinished writes, which were never acknowledged) to {@code
   * quarantine/}, printing one line per file to standard error.
   */
  public RecoveryReport recover(DuckDBConnection connection, BufferAllocator allocator) {
    int ingested = 0;
    int already = 0;
    long rows = 0;
    List<Quarantined> quarantined = new ArrayList<>();
    for (Path file : leftovers()) {
      String fileName = file.getFileName().toString();
      var name = SegmentName.parse(fileName);
      if (name.isEmpty()) {
        quarantined.add(
            quarantine(
                file,
                fileName.endsWith(SegmentName.PARTIAL)
                    ? "an unfinished write (never acknowledged)"
                    : "not named like a spool segment"));
        continue;
      }
      try (SegmentFile.Loaded loaded = SegmentFile.read(file, name.get(), allocator)) {
        long inserted =
            SegmentIngest.ingest(connection, allocator, name.get(), loaded.host(), loaded.root());
        if (inserted < 0) {
          already++;
        } else {
          ingested++;
          rows += inserted;
        }
      } catch (CorruptSegmentException e) {
        quarantined.add(quarantine(file, e.getMessage()));
        continue;
      } catch (IOException e) {
        throw new SinkException(
            SinkException.Kind.RESOURCE, "cannot read spool segment " + file + ": " + e, e);
      } catch (SQLException e) {
        throw new SinkException(
            SinkException.Kind.INTERNAL,
            "ingesting spool segment " + file + " failed (the file is kept): " + e.getMessage(),
            e);
      }
      delete(file);
    }
    return new RecoveryReport(ingested, rows, already, quarantined);
  }

  /** Removes a segment whose rows are committed. */
  public static void delete(Path segment) {
    try {
      Files.deleteIfExists(segment);
    } catch (IOException e) {
      // Harmless: its id is recorded, so the next recovery deletes it without inserting.
      LOG.warn("tracefix: could not delete ingested spool segment {}: {}", segment, e.toString());
    }
  }

  private List<Path> leftovers() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE, "cannot list spool directory " + dir + ": " + e, e);
    }
  }

  private Quarantined quarantine(Path file, String reason) {
    try {
      Files.createDirectories(quarantine, FileModes.active().directoryAttribute());
      Path target = quarantine.resolve(file.getFileName());
      for (int n = 1; Files.exists(target); n++) {
        target = quarantine.resolve(file.getFileName() + "." + n);
      }
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
      Quarantined q = new Quarantined(file, target, reason);
      LOG.warn(q.message());
      return q;
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "spool segment "
              + file
              + " is "
              + reason
              + " and could not be moved to "
              + quarantine
              + ": "
              + e,
          e);
    }
  }
}

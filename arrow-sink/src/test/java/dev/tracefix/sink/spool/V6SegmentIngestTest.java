package dev.tracefix.sink.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.StoreOptions;
import dev.tracefix.sink.arrow.EventBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spool segment left by schema version 6 still ingests after the upgrade to version 7. */
class V6SegmentIngestTest {
  private static final StoreOptions KEEP_ALL =
      StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL);
  private static final long JANUARY_2026_NS = 1_767_225_600_000_000_000L;

  @TempDir Path tmp;

  @Test
  void aSegmentWrittenBySchemaVersionSixIngestsWithThePreviousTokenNull() throws Exception {
    Path db = tmp.resolve("store.duckdb");
    Path spool = EventStore.defaultSpoolDir(db);
    Files.createDirectories(spool);
    try (RootAllocator allocator = new RootAllocator()) {
      Path old = segment(allocator, spool, 0, 40, false);
      Path current = segment(allocator, spool, 1, 25, true);
      try (EventStore store = EventStore.open(db, allocator, KEEP_ALL);
          Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*), count(previous_token), count(child_token),"
                      + " count(*) FILTER (WHERE previous_token = 'p_before') FROM events")) {
        assertEquals(2, store.recovery().ingested());
        assertEquals(0, store.recovery().quarantined().size());
        rs.next();
        assertEquals(65, rs.getLong(1));
        assertEquals(25, rs.getLong(2), "only the version 7 segment has previous tokens");
        assertEquals(65, rs.getLong(3), "the version 6 columns of the older segment arrive intact");
        assertEquals(25, rs.getLong(4));
      }
      assertFalse(Files.exists(old));
      assertFalse(Files.exists(current));
    }
  }

  @Test
  void aSegmentWithAColumnSafeEventDoesNotDeclareIsQuarantinedAndNamed() throws Exception {
    Path db = tmp.resolve("store.duckdb");
    Path spool = EventStore.defaultSpoolDir(db);
    Files.createDirectories(spool);
    try (RootAllocator allocator = new RootAllocator()) {
      List<Field> fields =
          List.of(
              EventBatch.SCHEMA.findField("time"),
              new Field("raw_address", FieldType.notNullable(new ArrowType.Int(64, true)), null));
      try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
        root.allocateNew();
        ((TimeStampNanoVector) root.getVector(0)).setSafe(0, JANUARY_2026_NS);
        ((BigIntVector) root.getVector(1)).setSafe(0, 0x7fff0000L);
        root.setRowCount(1);
        SegmentFile.write(spool, new SegmentName("cap-x", 0, SegmentTable.EVENTS), "node-r", root);
      }
      try (EventStore store = EventStore.open(db, allocator, KEEP_ALL)) {
        assertEquals(0, store.recovery().ingested());
        assertEquals(1, store.recovery().quarantined().size());
        String reason = store.recovery().quarantined().get(0).toString();
        assertTrue(reason.contains("raw_address"), reason);
      }
    }
  }

  /** A segment of exec events: as version 6 wrote it (no previous token) or as written today. */
  private static Path segment(
      RootAllocator allocator, Path spool, long seq, int rows, boolean current) throws Exception {
    try (EventBatch batch = new EventBatch(allocator, rows)) {
      for (int i = 0; i < rows; i++) {
        batch.add(
            SafeEvent.builder(
                    JANUARY_2026_NS + (seq * 1_000 + i) * 1_000,
                    EventType.PROCESS_EXEC,
                    "p_after",
                    "k")
                .childToken("p_child")
                .previousToken("p_before")
                .build());
      }
      VectorSchemaRoot all = batch.sealed();
      VectorSchemaRoot root =
          current
              ? all
              : new VectorSchemaRoot(
                  OlderSegments.fields(6),
                  all.getFieldVectors().subList(0, OlderSegments.fields(6).size()),
                  all.getRowCount());
      return SegmentFile.write(
          spool, new SegmentName("cap-v6", seq, SegmentTable.EVENTS), "node-r", root);
    }
  }
}

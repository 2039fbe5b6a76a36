package dev.tracefix.sink.spool;

import dev.tracefix.sink.arrow.EventBatch;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The event columns spool segments of older schema versions held: a prefix of today's, since
 * columns were only ever appended (EventColumnsTest keeps that order).
 */
final class OlderSegments {
  private static final Map<Integer, Integer> COLUMNS = Map.of(3, 9, 4, 20, 5, 22, 6, 26);

  private OlderSegments() {}

  static List<Field> fields(int schemaVersion) {
    return EventBatch.SCHEMA.getFields().subList(0, COLUMNS.get(schemaVersion));
  }
}

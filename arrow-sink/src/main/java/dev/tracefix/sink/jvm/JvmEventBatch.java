package dev.tracefix.sink.jvm;

import dev.tracefix.capture.JvmEventType;
import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.sink.schema.JvmEventColumns;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Rows of {@code jvm_events} as one Arrow batch, a vector per {@link JvmEventColumns} column. */
final class JvmEventBatch {
  static final Schema SCHEMA =
      new Schema(
          JvmEventColumns.all().stream()
              .map(c -> new Field(c.name(), FieldType.nullable(c.kind().arrowType()), null))
              .toList());

  private static final MethodHandle[] ACCESSORS = accessors();

  private JvmEventBatch() {}

  /** A batch holding {@code events}; the caller closes it. */
  static VectorSchemaRoot of(List<SafeJvmEvent> events, BufferAllocator allocator) {
    VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator);
    try {
      root.allocateNew();
      List<JvmEventColumns.Column> columns = JvmEventColumns.all();
      for (int c = 0; c < columns.size(); c++) {
        fill(root.getVector(c), columns.get(c), ACCESSORS[c], events);
      }
      root.setRowCount(events.size());
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  private static void fill(
      FieldVector vector,
      JvmEventColumns.Column column,
      MethodHandle accessor,
      List<SafeJvmEvent> events) {
    for (int row = 0; row < events.size(); row++) {
      Object value = read(accessor, events.get(row));
      if (value instanceof JvmEventType t) {
        value = t.columnValue();
      }
      boolean isNull =
          value == null || (column.zeroIsNull() && value instanceof Number n && n.longValue() == 0);
      switch (vector) {
        case TimeStampNanoVector v -> v.setSafe(row, ((Number) value).longValue());
        case BigIntVector v -> {
          if (isNull) {
            v.setNull(row);
          } else {
            v.setSafe(row, ((Number) value).longValue());
          }
        }
        case IntVector v -> {
          if (isNull) {
            v.setNull(row);
          } else {
            v.setSafe(row, ((Number) value).intValue());
          }
        }
        case VarCharVector v -> {
          if (isNull) {
            v.setNull(row);
          } else {
            v.setSafe(row, value.toString().getBytes(StandardCharsets.UTF_8));
          }
        }
        default ->
            throw new IllegalStateException(
                "no writer for column " + column.name() + ": " + vector);
      }
    }
    vector.setValueCount(events.size());
  }

  private static Object read(MethodHandle accessor, SafeJvmEvent event) {
    try {
      return accessor.invokeExact(event);
    } catch (Throwable t) {
      throw new IllegalStateException("cannot read a SafeJvmEvent component", t);
    }
  }

  private static MethodHandle[] accessors() {
    List<JvmEventColumns.Column> columns = JvmEventColumns.all();
    MethodHandle[] handles = new MethodHandle[columns.size()];
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    for (int i = 0; i < handles.length; i++) {
      try {
        handles[i] =
            lookup
                .unreflect(columns.get(i).component().getAccessor())
                .asType(MethodType.methodType(Object.class, SafeJvmEvent.class));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read SafeJvmEvent components", e);
      }
    }
    return handles;
  }
}

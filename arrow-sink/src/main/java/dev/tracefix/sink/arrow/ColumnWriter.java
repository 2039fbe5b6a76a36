package dev.tracefix.sink.arrow;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.sink.errno.ErrnoNames;
import dev.tracefix.sink.schema.EventColumns;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Writes one {@link SafeEvent} component into its Arrow column. The component is read through a
 * generated accessor function (not reflection per row), so a batch costs about what hand-written
 * setters cost.
 */
interface ColumnWriter {
  void write(SafeEvent event, int row);

  /** Makes the writer of one column for a batch's vector of that column. */
  interface Factory {
    ColumnWriter writerFor(FieldVector vector);
  }

  /**
   * Distinct values per text column and batch that are encoded once. Syscall and TCP state names,
   * symbols and wait states are few; token columns fill their cache and then encode each value.
   */
  int MAX_CACHED_TEXT = 512;

  static Factory factory(EventColumns.Column column) {
    Class<?> type = column.component().getType();
    return switch (column.derivation()) {
      case ERRNO_NAME -> {
        ToIntFunction<SafeEvent> errno = accessor(column, ToIntFunction.class, "applyAsInt");
        yield vector -> {
          Text text = new Text((VarCharVector) vector);
          return (event, row) -> text.set(row, ErrnoNames.nameOf(errno.applyAsInt(event)));
        };
      }
      case ZERO_IS_NULL -> {
        ToLongFunction<SafeEvent> value = longAccessor(column, type);
        yield vector -> {
          BigIntVector v = (BigIntVector) vector;
          return (event, row) -> {
            long x = value.applyAsLong(event);
            if (x != 0) {
              v.setSafe(row, x);
            } // else NULL: see Text.set
          };
        };
      }
      case AS_IS ->
          switch (column.kind()) {
            case TIMESTAMP -> {
              ToLongFunction<SafeEvent> value = longAccessor(column, type);
              yield vector -> {
                TimeStampNanoVector v = (TimeStampNanoVector) vector;
                return (event, row) -> v.setSafe(row, value.applyAsLong(event));
              };
            }
            case BIGINT -> {
              ToLongFunction<SafeEvent> value = longAccessor(column, type);
              yield vector -> {
                BigIntVector v = (BigIntVector) vector;
                return (event, row) -> v.setSafe(row, value.applyAsLong(event));
              };
            }
            case INT -> {
              ToIntFunction<SafeEvent> value = accessor(column, ToIntFunction.class, "applyAsInt");
              yield vector -> {
                IntVector v = (IntVector) vector;
                return (event, row) -> v.setSafe(row, value.applyAsInt(event));
              };
            }
            case TEXT -> {
              Function<SafeEvent, Object> value = accessor(column, Function.class, "apply");
              if (type == EventType.class) {
                Map<EventType, byte[]> names = new EnumMap<>(EventType.class);
                for (EventType t : EventType.values()) {
                  names.put(t, t.columnValue().getBytes(StandardCharsets.UTF_8));
                }
                yield vector -> {
                  VarCharVector v = (VarCharVector) vector;
                  return (event, row) -> v.setSafe(row, names.get((EventType) value.apply(event)));
                };
              }
              yield vector -> {
                Text text = new Text((VarCharVector) vector);
                return (event, row) -> text.set(row, (String) value.apply(event));
              };
            }
          };
    };
  }

  private static ToLongFunction<SafeEvent> longAccessor(EventColumns.Column column, Class<?> type) {
    if (type == int.class) {
      ToIntFunction<SafeEvent> value = accessor(column, ToIntFunction.class, "applyAsInt");
      return value::applyAsInt;
    }
    return accessor(column, ToLongFunction.class, "applyAsLong");
  }

  /** The component's accessor as an instance of {@code function}, made once per column. */
  @SuppressWarnings("unchecked")
  private static <F> F accessor(EventColumns.Column column, Class<?> function, String method) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MethodHandle getter = lookup.unreflect(column.component().getAccessor());
      Class<?> result = getter.type().returnType();
      Class<?> erased = result.isPrimitive() ? result : Object.class;
      return (F)
          LambdaMetafactory.metafactory(
                  lookup,
                  method,
                  MethodType.methodType(function),
                  MethodType.methodType(erased, Object.class),
                  getter,
                  getter.type())
              .getTarget()
              .invoke();
    } catch (Throwable t) {
      throw new IllegalStateException(
          "cannot read SafeEvent." + column.component().getName() + " for column " + column.name(),
          t);
    }
  }

  /**
   * A text column: NULL for null, low-cardinality values encoded once. Past the cache, ASCII text
   * (tokens, hashes, names: nearly every value) is copied into one reused buffer rather than a new
   * byte array per row; other text is encoded per value.
   */
  final class Text {
    /** Longer ASCII values are encoded per value; tokens and hashes are far shorter. */
    static final int SCRATCH_BYTES = 256;

    private final VarCharVector vector;
    private final Map<String, byte[]> encoded = new HashMap<>();
    private final byte[] scratch = new byte[SCRATCH_BYTES];

    Text(VarCharVector vector) {
      this.vector = vector;
    }

    void set(int row, String value) {
      if (value == null) {
        // A batch's vectors start (and grow) with every validity bit clear, so a null needs no
        // write; setValueCount at sealing fills the offsets of the null rows once.
        return;
      }
      byte[] bytes = encoded.get(value);
      if (bytes != null) {
        vector.setSafe(row, bytes);
        return;
      }
      if (encoded.size() < MAX_CACHED_TEXT) {
        bytes = value.getBytes(StandardCharsets.UTF_8);
        encoded.put(value, bytes);
        vector.setSafe(row, bytes);
        return;
      }
      int n = asciiInto(value);
      if (n >= 0) {
        vector.setSafe(row, scratch, 0, n);
      } else {
        vector.setSafe(row, value.getBytes(StandardCharsets.UTF_8));
      }
    }

    /** Copies ASCII {@code value} into the scratch buffer: its length, or -1 if it does not fit. */
    private int asciiInto(String value) {
      int n = value.length();
      if (n > scratch.length) {
        return -1;
      }
      for (int i = 0; i < n; i++) {
        char c = value.charAt(i);
        if (c >= 0x80) {
          return -1;
        }
        scratch[i] = (byte) c;
      }
      return n;
    }
  }
}

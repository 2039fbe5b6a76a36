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
            if (x == 0) {
              v.setNull(row);
            } else {
              v.setSafe(row, x);
            }
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

  /** A text column: NULL for null, low-cardinality values encoded once. */
  final class Text {
    private final VarCharVector vector;
    private final Map<String, byte[]> encoded = new HashMap<>();

    Text(VarCharVector vector) {
      this.vector = vector;
    }

    void set(int row, String value) {
      if (value == null) {
        vector.setNull(row);
        return;
      }
      byte[] bytes = encoded.get(value);
      if (bytes == null) {
        bytes = value.getBytes(StandardCharsets.UTF_8);
        if (encoded.size() < MAX_CACHED_TEXT) {
          encoded.put(value, bytes);
        }
      }
      vector.setSafe(row, bytes);
    }
  }
}

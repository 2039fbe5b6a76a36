package dev.tracefix.capture.privacy;

import dev.tracefix.capture.privacy.policy.EventSchema;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;

/**
 * Reads and rebuilds a record by component, so the engine handles fields added to {@code SafeEvent}
 * or {@code SafeProcess} later without code here (they are dropped until named).
 */
final class RecordShape<R extends Record> {
  final String[] names;
  final Class<?>[] types;
  private final MethodHandle[] accessors;
  private final MethodHandle constructor;

  RecordShape(Class<R> type) {
    RecordComponent[] components = type.getRecordComponents();
    int n = components.length;
    names = new String[n];
    types = new Class<?>[n];
    accessors = new MethodHandle[n];
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      for (int i = 0; i < n; i++) {
        names[i] = EventSchema.snake(components[i].getName());
        types[i] = components[i].getType();
        accessors[i] =
            lookup
                .unreflect(components[i].getAccessor())
                .asType(MethodType.methodType(Object.class, Object.class));
      }
      constructor =
          lookup
              .findConstructor(type, MethodType.methodType(void.class, types))
              .asSpreader(Object[].class, n)
              .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot access record " + type.getName(), e);
    }
  }

  Object[] read(R record) {
    Object[] values = new Object[accessors.length];
    try {
      for (int i = 0; i < accessors.length; i++) {
        values[i] = accessors[i].invokeExact((Object) record);
      }
    } catch (Throwable t) {
      throw new IllegalStateException("cannot read " + record.getClass().getSimpleName(), t);
    }
    return values;
  }

  @SuppressWarnings("unchecked")
  R build(Object[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof Number n && types[i] == int.class) {
        values[i] = (int) Math.min(Integer.MAX_VALUE, n.longValue());
      } else if (values[i] instanceof Number n && types[i] == long.class) {
        values[i] = n.longValue();
      }
      if (values[i] == null && types[i].isPrimitive()) {
        values[i] =
            types[i] == int.class
                ? (Object) 0
                : types[i] == long.class
                    ? (Object) 0L
                    : types[i] == boolean.class ? (Object) false : (Object) 0.0;
      }
    }
    try {
      return (R) (Object) constructor.invokeExact(values);
    } catch (Throwable t) {
      throw new IllegalStateException("cannot build redacted record", t);
    }
  }
}

package dev.tracefix.capture.ffm;

import dev.tracefix.capture.SafeEvent;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * Numeric members of a record that reach {@link SafeEvent} unchanged: each is copied into the
 * component of the same name in camelCase ({@code cpu} → {@code cpu}, {@code mnt_ns} → {@code
 * mntNs}), and the privacy policy decides, as for every field, whether it is kept. So a kernel
 * number added to a struct needs its layout member, its name in the list here and its {@link
 * SafeEvent} component, and no code in the pipeline. Values identifying a process, an address or a
 * socket are never copied this way: the pipeline tokenizes or hashes them first.
 */
final class CopiedMembers {
  private static final long[] NONE = new long[0];

  private final ValueLayout[] layouts;
  private final long[] offsets;
  private final MethodHandle[] setters;

  private CopiedMembers(StructLayout struct, List<String> members) {
    int n = members.size();
    layouts = new ValueLayout[n];
    offsets = new long[n];
    setters = new MethodHandle[n];
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    for (int i = 0; i < n; i++) {
      MemoryLayout.PathElement path = MemoryLayout.PathElement.groupElement(members.get(i));
      if (!(struct.select(path) instanceof ValueLayout value) || value.carrier() == byte.class) {
        throw new IllegalStateException(
            struct.name().orElse("struct") + "." + members.get(i) + " is not a number to copy");
      }
      layouts[i] = value;
      offsets[i] = struct.byteOffset(path);
      setters[i] = setter(lookup, camel(members.get(i)));
    }
  }

  /** The copied members of {@code struct}, by their names in the header. */
  static CopiedMembers of(StructLayout struct, String... members) {
    return new CopiedMembers(struct, List.of(members));
  }

  /** Reads the members from a record of the struct, in the order named. */
  long[] read(MemorySegment record) {
    if (layouts.length == 0) {
      return NONE;
    }
    long[] values = new long[layouts.length];
    for (int i = 0; i < values.length; i++) {
      values[i] =
          switch (layouts[i]) {
            case ValueLayout.OfInt v -> record.get(v, offsets[i]);
            case ValueLayout.OfLong v -> record.get(v, offsets[i]);
            case ValueLayout.OfShort v -> Short.toUnsignedInt(record.get(v, offsets[i]));
            default -> throw new IllegalStateException("cannot copy " + layouts[i]);
          };
    }
    return values;
  }

  /** Sets each copied value on the builder of the event the record becomes. */
  SafeEvent.Builder applyTo(SafeEvent.Builder builder, long[] values) {
    try {
      for (int i = 0; i < setters.length; i++) {
        setters[i].invokeExact(builder, values[i]);
      }
    } catch (Throwable t) {
      throw new IllegalStateException("cannot copy a kernel member into SafeEvent", t);
    }
    return builder;
  }

  private static MethodHandle setter(MethodHandles.Lookup lookup, String component) {
    for (Class<?> type : List.of(int.class, long.class)) {
      try {
        MethodHandle set =
            lookup.findVirtual(
                SafeEvent.Builder.class,
                component,
                MethodType.methodType(SafeEvent.Builder.class, type));
        return MethodHandles.explicitCastArguments(
            set.asType(set.type().changeReturnType(void.class)),
            MethodType.methodType(void.class, SafeEvent.Builder.class, long.class));
      } catch (NoSuchMethodException | IllegalAccessException e) {
        // try the other width
      }
    }
    throw new IllegalStateException(
        "SafeEvent has no int or long component '" + component + "' for a copied kernel member");
  }

  private static String camel(String snake) {
    StringBuilder b = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        b.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return b.toString();
  }
}

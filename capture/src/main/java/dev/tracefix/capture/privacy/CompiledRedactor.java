package dev.tracefix.capture.privacy;

import dev.tracefix.capture.privacy.policy.Action;
import dev.tracefix.capture.privacy.policy.EventSchema;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.Optional;

/**
 * One type's {@link TypePlan}, compiled at policy load into a single method handle that takes a
 * record and returns its redacted copy: each component read by its own accessor and passed through
 * its field's op straight into the canonical constructor. Primitive components stay primitive (kept
 * as read, bucketed as {@code long}/{@code int}, or the type's zero when dropped), and a dropped
 * component is never read. The reference path ({@link RecordShape}: an {@code Object[]} of boxed
 * values per record) builds the same record; {@code CompiledRedactorTest} holds the two to the same
 * output on generated events and policies.
 *
 * <p>A plan this does not compile (a condition that reads fields other than {@code event.type}, or
 * an action the reference path would reject for the component's Java type) stays on the reference
 * path, which gives the same result or the same error as before.
 */
final class CompiledRedactor {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final MethodHandle TEXT;
  private static final MethodHandle BUCKET_LONG;
  private static final MethodHandle BUCKET_INT;

  static {
    try {
      TEXT =
          LOOKUP.findVirtual(
              FieldOp.class, "applyText", MethodType.methodType(String.class, String.class));
      BUCKET_LONG =
          LOOKUP.findVirtual(
              FieldOp.class, "bucketLong", MethodType.methodType(long.class, long.class));
      BUCKET_INT =
          LOOKUP.findVirtual(
              FieldOp.class, "bucketInt", MethodType.methodType(int.class, int.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** {@code (Record) -> Record}, the record's own type behind it. */
  private final MethodHandle redact;

  private CompiledRedactor(MethodHandle redact) {
    this.redact = redact;
  }

  /**
   * The compiled form of {@code plan} for records of {@code type}, or empty when the plan needs the
   * reference path (see the class comment). {@code keyId} is written into {@code key_id}.
   */
  static Optional<CompiledRedactor> compile(
      Class<? extends Record> type, TypePlan plan, String keyId) {
    if (plan.needsEventMap) {
      return Optional.empty();
    }
    RecordComponent[] components = type.getRecordComponents();
    int n = components.length;
    Class<?>[] types = new Class<?>[n];
    MethodHandle[] filters = new MethodHandle[n];
    try {
      for (int i = 0; i < n; i++) {
        Class<?> t = components[i].getType();
        types[i] = t;
        String name = EventSchema.snake(components[i].getName());
        MethodHandle read = LOOKUP.unreflect(components[i].getAccessor());
        MethodHandle filter;
        if (name.equals("type")) {
          filter = read;
        } else if (name.equals("key_id")) {
          filter = constant(type, t, keyId);
        } else {
          TypePlan.Decision d = plan.decision(name);
          if (d == null || d.dynamic() != null) {
            return Optional.empty();
          }
          filter = field(type, t, read, d.fixed());
          if (filter == null) {
            return Optional.empty();
          }
        }
        filters[i] = filter;
      }
      MethodHandle build = LOOKUP.findConstructor(type, MethodType.methodType(void.class, types));
      MethodHandle fromCopies = MethodHandles.filterArguments(build, 0, filters);
      MethodHandle fromOne =
          MethodHandles.permuteArguments(fromCopies, MethodType.methodType(type, type), new int[n]);
      return Optional.of(
          new CompiledRedactor(fromOne.asType(MethodType.methodType(Record.class, Record.class))));
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code (record) -> safe value} for one component, or null when only the reference path gives
   * this action's result for a component of type {@code t}.
   */
  private static MethodHandle field(
      Class<? extends Record> type, Class<?> t, MethodHandle read, FieldOp op) {
    Action action = op.action;
    if (action instanceof Action.Drop) {
      return MethodHandles.dropArguments(MethodHandles.zero(t), 0, type);
    }
    if (t == String.class) {
      return MethodHandles.filterReturnValue(read, TEXT.bindTo(op));
    }
    // Kept numbers and other non-text values pass unchanged on the reference path too.
    if (action instanceof Action.Keep) {
      return read;
    }
    if (action instanceof Action.Bucket && t == long.class) {
      return MethodHandles.filterReturnValue(read, BUCKET_LONG.bindTo(op));
    }
    if (action instanceof Action.Bucket && t == int.class) {
      return MethodHandles.filterReturnValue(read, BUCKET_INT.bindTo(op));
    }
    return null;
  }

  private static MethodHandle constant(Class<? extends Record> type, Class<?> t, Object value) {
    return MethodHandles.dropArguments(MethodHandles.constant(t, value), 0, type);
  }

  /** The redacted copy of {@code record}, which must be of the type this was compiled for. */
  @SuppressWarnings("unchecked")
  <R extends Record> R apply(R record) {
    try {
      return (R) (Record) redact.invokeExact((Record) record);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("cannot redact " + record.getClass().getSimpleName(), t);
    }
  }
}

package dev.tracefix.capture.privacy.policy;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.JvmEventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.SafeProcess;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which fields each event type has, read from the {@link SafeEvent}, {@link SafeProcess} and {@link
 * SafeJvmEvent} record components (so a field added there is known here, and dropped until a policy
 * names it). JVM flight-recorder types go by their recorder names ({@code jdk.SocketRead}). The
 * envelope ({@code type}, {@code key_id}) is set by the engine, not by the policy.
 */
public record EventSchema(Map<String, Map<String, FieldKind>> types) {
  public static final String PROCESS = "process";
  static final Set<String> ENVELOPE = Set.of("type", "key_id");

  public static EventSchema current() {
    Map<String, Map<String, FieldKind>> types = new LinkedHashMap<>();
    Map<String, FieldKind> eventFields = fieldsOf(SafeEvent.class);
    for (EventType t : EventType.values()) {
      types.put(t.columnValue(), eventFields);
    }
    types.put(PROCESS, fieldsOf(SafeProcess.class));
    Map<String, FieldKind> jvmFields = fieldsOf(SafeJvmEvent.class);
    for (JvmEventType t : JvmEventType.values()) {
      types.put(t.columnValue(), jvmFields);
    }
    return new EventSchema(types);
  }

  static Map<String, FieldKind> fieldsOf(Class<? extends Record> record) {
    Map<String, FieldKind> fields = new LinkedHashMap<>();
    for (RecordComponent c : record.getRecordComponents()) {
      String name = snake(c.getName());
      if (!ENVELOPE.contains(name)) {
        Class<?> t = c.getType();
        boolean number = t == long.class || t == int.class || t == Long.class || t == Integer.class;
        fields.put(name, number ? FieldKind.NUMBER : FieldKind.TEXT);
      }
    }
    return fields;
  }

  /** {@code processToken} → {@code process_token}: the column naming of the event store. */
  public static String snake(String camel) {
    StringBuilder b = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        b.append('_').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }
}

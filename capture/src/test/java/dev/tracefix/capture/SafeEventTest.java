package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Read by component, so a field added to SafeEvent is covered without a change here. */
class SafeEventTest {
  private static final Set<String> ENVELOPE = Set.of("timeNs", "type", "processToken", "keyId");

  @Test
  void aBuiltEventWithOnlyItsEnvelopeHasEveryOtherFieldAbsent() throws Exception {
    SafeEvent event = SafeEvent.builder(42, EventType.SENDTO, "p_1", "k1").build();

    assertEquals(42, event.timeNs());
    assertEquals(EventType.SENDTO, event.type());
    assertEquals("p_1", event.processToken());
    assertEquals("k1", event.keyId());
    assertEquals(-1, event.fd(), "no descriptor is -1, not fd 0");
    assertEquals(-1, event.exitStatus(), "no exit is -1, not status 0");
    for (RecordComponent c : SafeEvent.class.getRecordComponents()) {
      if (ENVELOPE.contains(c.getName())) {
        continue;
      }
      Object value = c.getAccessor().invoke(event);
      if (c.getType().isPrimitive()) {
        long n = ((Number) value).longValue();
        assertTrue(n == 0 || n == -1, c.getName() + " is absent as 0 or -1, not " + n);
      } else {
        assertNull(value, c.getName());
      }
    }
  }

  @Test
  void eachSetterFillsTheComponentOfTheSameName() throws Exception {
    SafeEvent event = everyFieldSet();

    RecordComponent[] components = SafeEvent.class.getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      assertEquals(
          valueFor(components[i], i),
          components[i].getAccessor().invoke(event),
          components[i].getName());
    }
  }

  @Test
  void toBuilderCopiesEveryFieldAndChangesOnlyWhatIsSet() throws Exception {
    SafeEvent original = everyFieldSet();

    assertEquals(original, original.toBuilder().build());
    SafeEvent relinked = original.toBuilder().previousToken("p_0").build();
    assertNotEquals(original, relinked);
    assertEquals(original, relinked.toBuilder().previousToken(original.previousToken()).build());
    assertEquals("p_0", relinked.previousToken());
  }

  /** An event whose every component holds a value of its own, set through its builder setter. */
  private static SafeEvent everyFieldSet() throws Exception {
    SafeEvent.Builder builder = SafeEvent.builder(0, EventType.SENDTO, null, null);
    RecordComponent[] components = SafeEvent.class.getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      SafeEvent.Builder.class.getMethod(c.getName(), c.getType()).invoke(builder, valueFor(c, i));
    }
    return builder.build();
  }

  private static Object valueFor(RecordComponent c, int index) {
    Class<?> type = c.getType();
    if (type == int.class) {
      return 100 + index;
    }
    if (type == long.class) {
      return 1_000L + index;
    }
    if (type == EventType.class) {
      return EventType.TCP_STATE;
    }
    return "v" + index;
  }
}

package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SafeEventTest {
  @Test
  void aBuiltEventWithOnlyItsEnvelopeHasEveryOtherFieldAbsent() {
    SafeEvent event = SafeEvent.builder(42, EventType.SENDTO, "p_1", "k1").build();

    assertEquals(
        new SafeEvent(
            42,
            EventType.SENDTO,
            "p_1",
            0,
            0,
            0,
            null,
            "k1",
            null,
            -1,
            null,
            null,
            null,
            0,
            0,
            0,
            0,
            null,
            -1,
            null,
            null,
            0,
            0,
            null,
            null,
            null,
            null),
        event,
        "fd and exit status are -1 when absent; everything else 0 or null");
  }

  @Test
  void eachSetterFillsTheComponentOfTheSameName() {
    SafeEvent event =
        SafeEvent.builder(1, EventType.TCP_STATE, "p_1", "k1")
            .durationNs(2)
            .bytes(3)
            .errno(4)
            .peerHash("a_peer")
            .syscall("connect")
            .fd(5)
            .connectionHash("a_conn")
            .tcpOldState("SYN_SENT")
            .tcpNewState("ESTABLISHED")
            .family(10)
            .protocol(6)
            .localPort(40000)
            .remotePort(443)
            .localHash("a_local")
            .exitStatus(256)
            .symbol("SSL_write")
            .binaryHash("e_bin")
            .returnValue(7)
            .stackId(8)
            .threadToken("t_1")
            .waitState("blocked")
            .childToken("p_2")
            .previousToken("p_0")
            .build();

    assertEquals(
        new SafeEvent(
            1,
            EventType.TCP_STATE,
            "p_1",
            2,
            3,
            4,
            "a_peer",
            "k1",
            "connect",
            5,
            "a_conn",
            "SYN_SENT",
            "ESTABLISHED",
            10,
            6,
            40000,
            443,
            "a_local",
            256,
            "SSL_write",
            "e_bin",
            7,
            8,
            "t_1",
            "blocked",
            "p_2",
            "p_0"),
        event);
  }

  @Test
  void toBuilderCopiesEveryFieldAndChangesOnlyWhatIsSet() {
    SafeEvent original =
        SafeEvent.builder(1, EventType.PROCESS_EXEC, "p_1", "k1")
            .exitStatus(3)
            .threadToken("t_1")
            .childToken("p_2")
            .build();

    assertEquals(original, original.toBuilder().build());
    SafeEvent relinked = original.toBuilder().previousToken("p_0").build();
    assertNotEquals(original, relinked);
    assertEquals(original, relinked.toBuilder().previousToken(null).build());
    assertEquals("p_0", relinked.previousToken());
  }
}

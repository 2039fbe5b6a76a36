package dev.tracefix.capture.privacy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.CaptureException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyParserTest {
  private static Policy parse(String yaml) {
    return PolicyParser.parse("p.yaml", yaml, EventSchema.current());
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "policy: x\\nevents:\\n  sendto:\\n    bytes: keeep\\n | 4 | unknown action 'keeep'",
        "policy: x\\nevents:\\n  sendto:\\n    bytes: hmac\\n | 4 | hmac needs a text field",
        "policy: x\\nevents:\\n  process:\\n    comm: bucket\\n | 4 | bucket needs a number",
        "policy: x\\nevents:\\n  sendto:\\n    colour: keep\\n | 4 | no field 'colour' in sendto",
        "policy: x\\nevents:\\n  sendfile:\\n    bytes: keep\\n | 3 | unknown event type 'sendfile'",
        "policy: x\\nevents:\\n  sendto:\\n    bytes: {action: keep, when: 'event.bytes >'}\\n"
            + " | 4 | is not a valid CEL boolean",
        "policy: x\\nevents:\\n  sendto:\\n    bytes: {action: keep, when: 'size(event) + 1'}\\n"
            + " | 4 | is not a valid CEL boolean",
        "policy: x\\nevents:\\n  sendto:\\n    bytes: keep\\n    bytes: drop\\n | 5 | appears twice",
        "policy: x\\nevents:\\n  sendto:\\n    bytes: [keep\\n | 5 | not valid YAML",
        "policy: x\\nevents:\\n  sendto:\\n    key_id: keep\\n | 4 | is set by tracefix",
        "events:\\n  sendto:\\n    bytes: keep\\n | 1 | missing 'policy: NAME'",
        "policy: x\\nretention:\\n  events: 14d\\n  processes: 7d\\n"
            + " | 4 | no retention for table 'processes'",
        "policy: x\\nretention:\\n  events: 2w\\n | 3 | retention age '2w' for events",
        "policy: x\\nretention:\\n  events: 0d\\n | 3 | must be positive",
        "policy: x\\nretention:\\n  events: 14d\\n  events: 7d\\n | 4 | appears twice",
        "policy: x\\nretention: 14d\\n | 2 | expected a mapping: 'retention' maps tables",
        "policy: x\\nretention:\\n  events: [14d]\\n | 3 | expected an age like 14d",
      })
  void aMalformedPolicyIsRefusedWithItsLineAndReason(String yaml, int line, String reason) {
    CaptureException e =
        assertThrows(CaptureException.class, () -> parse(yaml.replace("\\n", "\n")));
    assertEquals(CaptureException.Kind.USER, e.kind());
    assertTrue(e.getMessage().startsWith("policy p.yaml:" + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void retentionEntriesAreReadWithTheirLinesAndAbsenceMeansEventsFor14Days() {
    Policy p = parse("policy: x\nretention:\n  events: 36h\n  captures: forever\n");
    assertEquals(
        List.of(
            new RetentionRule("events", Optional.of(Duration.ofHours(36)), 3),
            new RetentionRule("captures", Optional.empty(), 4)),
        p.retention());
    assertEquals(
        List.of("events=36h", "captures=forever"),
        p.retention().stream().map(RetentionRule::spec).toList());
    Policy none = parse("policy: x\nevents:\n  sendto:\n    bytes: keep\n");
    assertEquals(List.of(RetentionRule.DEFAULT_EVENTS), none.retention());
    assertEquals("events=14d", none.retention().get(0).spec());
  }

  @Test
  void theHashChangesWithTheFileAndConditionsOnTypeAloneAreRecognized() {
    Policy a = parse("policy: x\nevents:\n  \"*\":\n    bytes: keep\n");
    Policy b = parse("policy: x\nevents:\n  \"*\":\n    bytes: bucket\n");
    assertTrue(!a.hash().equals(b.hash()));
    Policy c =
        parse(
            "policy: x\nevents:\n  \"*\":\n    bytes: {action: keep,"
                + " when: 'event.type == \"tcp_retransmit\"'}\n    errno: {action: keep,"
                + " when: 'event.errno > 0 && event.type == \"sendto\"'}\n");
    assertTrue(c.rule("sendto", "bytes").orElseThrow().when().orElseThrow().typeOnly());
    assertTrue(!c.rule("sendto", "errno").orElseThrow().when().orElseThrow().typeOnly());
  }
}

package dev.tracefix.capture.privacy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.CaptureException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

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
      })
  void aMalformedPolicyIsRefusedWithItsLineAndReason(String yaml, int line, String reason) {
    CaptureException e =
        assertThrows(CaptureException.class, () -> parse(yaml.replace("\\n", "\n")));
    assertEquals(CaptureException.Kind.USER, e.kind());
    assertTrue(e.getMessage().startsWith("policy p.yaml:" + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void theHashChangesWithTheFileAndConditionsOnTypeAloneAreRecognized() {
    Policy a = parse("policy: x\nevents:\n  \"*\":\n    bytes: keep\n");
    Policy b = parse("policy: x\nevents:\n  \"*\":\n    bytes: bucket\n");
    assertTrue(!a.hash().equals(b.hash()));
    Policy c = parse("policy: x\nevents:\n  \"*\":\n    bytes: {action: keep,"
        + " when: 'event.type == \"tcp_retransmit\"'}\n    errno: {action: keep,"
        + " when: 'event.errno > 0 && event.type == \"sendto\"'}\n");
    assertTrue(c.rule("sendto", "bytes").orElseThrow().when().orElseThrow().typeOnly());
    assertTrue(!c.rule("sendto", "errno").orElseThrow().when().orElseThrow().typeOnly());
  }
}

package dev.tracefix.capture.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.recognize.PlantedSecrets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextRedactorTest {
  private final TextRedactor redactor =
      TextRedactor.withKey(new HmacKey("k_7e57000000aa", new byte[32]));

  @Test
  void everyPlantedValueIsReplacedByAPlaceholderOfItsType() {
    for (PlantedSecrets p : PlantedSecrets.all()) {
      String out = redactor.redact("comm=" + p.value() + " end");
      assertFalse(out.contains(p.secret()), p + " -> " + out);
      assertTrue(out.matches(".*<" + p.type() + ":[0-9a-f]{8}>.*"), p + " -> " + out);
    }
  }

  @Test
  void aStackFramesModuleNamePassesTheIdentityRuleAndItsSymbolTheRecognizers() {
    assertEquals("libc.so.6!write+0x1a", redactor.redactFrame("libc.so.6!write+0x1a"));
    assertEquals(
        "[jit]!Lcom/example/Pool;::take", redactor.redactFrame("[jit]!Lcom/example/Pool;::take"));
    assertTrue(
        redactor.redactFrame("alice_johnson!main+0x10").matches("<PERSON:[0-9a-f]{8}>!main\\+0x10"),
        redactor.redactFrame("alice_johnson!main+0x10"));
    String mail = redactor.redactFrame("worker!bo@example.io+0x4");
    assertTrue(mail.startsWith("worker!<EMAIL:") && !mail.contains("bo@example.io"), mail);
    assertEquals("tcp_sendmsg+0x44", redactor.redactFrame("tcp_sendmsg+0x44"));
  }

  @Test
  void aSecretInMarkdownInlineCodeAtTheEndOfASentenceIsReplaced() {
    String out = redactor.redact("the ticket quoted `password=" + PlantedSecrets.PASSWORD + "`.");
    assertEquals("the ticket quoted `password=<SECRET:", out.substring(0, 36), out);
    assertFalse(out.contains(PlantedSecrets.PASSWORD), out);
  }

  @Test
  void theFifteenBytePrefixesTheRecognizersCatchAreReplaced() {
    for (PlantedSecrets p : PlantedSecrets.all()) {
      String prefix = PlantedSecrets.prefix15(p.value());
      boolean replaced = !redactor.redact(prefix).equals(prefix);
      assertEquals(p.prefixCaught(), replaced, "prefix " + prefix + " of " + p.type());
    }
  }

  @Test
  void redactedTextComesOutOfASecondPassUnchanged() {
    List<String> texts =
        List.of(
            "password=" + PlantedSecrets.PASSWORD,
            "Authorization: Bearer " + PlantedSecrets.BEARER_SECRET,
            "Bearer_" + PlantedSecrets.BEARER_SECRET,
            "token: " + PlantedSecrets.JWT,
            "secret=<SECRET:0a1b2c3d> auth=<AUTH:0123abcd> api_key=<AWS_KEY_ID:ffffffff>",
            "/user.slice/<USER:01234567>/app.scope p_0123456789abcdef");
    for (String text : texts) {
      String once = redactor.redact(text);
      assertEquals(once, redactor.redact(once), text);
    }
    String placeholders = "secret=<SECRET:0a1b2c3d> auth=<AUTH:0123abcd>";
    assertEquals(placeholders, redactor.redact(placeholders));
  }

  @Test
  void identifiersThatMerelyMentionBearerStay() {
    for (String text :
        List.of("bearer_authentication_enabled", "use_bearer_tokens", "Bearer_abcdefghijklmnopq")) {
      assertEquals(text, redactor.redact(text));
    }
  }
}

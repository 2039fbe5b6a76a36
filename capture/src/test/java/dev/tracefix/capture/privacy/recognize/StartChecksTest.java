package dev.tracefix.capture.privacy.recognize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The start checks only skip positions where a pattern would fail: scanning with them finds exactly
 * what scanning without them (the regex tried at every anchor position) finds.
 */
class StartChecksTest {
  private static final String[] FRAGMENTS = {
    "password",
    "PassWord",
    "pwd",
    "passphrase",
    "Secret",
    "TOKEN",
    "api_key",
    "API-KEY",
    "access-key",
    "private_key",
    "Credentials",
    "auth",
    "Authorization",
    "proxy-authorization",
    "Bearer",
    "basic",
    "ssn",
    "aws_secret_access_key",
    "=",
    ":",
    "::",
    " ",
    "  ",
    "\"",
    "'",
    "(",
    ")",
    "@",
    ".",
    "-",
    "/",
    "+",
    "_",
    "%",
    "\t",
    "eyJ",
    "eyJhbGciOiJIUzI1NiJ9",
    "AKIA",
    "ghp_",
    "xoxb-",
    "AIza",
    "sk_live_",
    "/home/",
    "://",
    "https://",
    "\u212A",
    "\u0130",
    "é",
    "10.1.2.3",
    "256.1.1.1",
    "fe80::1",
    "2001:db8::ff00:42:8329",
    "::ffff:10.0.0.1",
    "de:ad:be:ef:00:01",
    "DE-AD-BE-EF-00-01",
    "abcd.ef01.2345",
    "4111 1111 1111 1111",
    "5500-0000-0000-0004",
    "078-05-1120",
    "+44 20 7946 0958",
    "(555) 123-4567",
    "(555 123-4567",
    "555.123.4567",
    "030 1234 5678",
    "GB82 WEST 1234 5698 7654 32",
    "alice.smith@exa",
    "user@example.com",
    "10:15:30",
    "Type::method",
    "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsT",
  };
  private static final String CHARS = "abcdefABCDEFxyzXYZ0123456789:.-_=@/+ \"'()%#$";

  @Test
  void findsExactlyWhatTheUncheckedAnchorsFind() {
    TextScanner checked = new TextScanner(Recognizers.defaults());
    List<Recognizer> unchecked = new ArrayList<>();
    for (Recognizer r : Recognizers.defaults()) {
      Recognizer.Anchor a = r.anchor();
      unchecked.add(
          a == null
              ? r
              : new Recognizer(
                  r.type(),
                  r.prefilter(),
                  r.pattern(),
                  r.group(),
                  r.validator(),
                  r.multiline(),
                  new Recognizer.Anchor(a.start(), a.notAfter())));
    }
    TextScanner reference = new TextScanner(unchecked);
    List<String> texts = new ArrayList<>();
    new SeededCorpus(20251114L).generate(40).forEach(p -> texts.add(p.line()));
    texts.addAll(BenignCorpus.lines(7L));
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      texts.add(fuzzLine(random));
    }
    int findings = 0;
    for (String text : texts) {
      List<Finding> expected = reference.scan(text);
      assertEquals(expected, checked.scan(text), () -> "text: " + text);
      findings += expected.size();
    }
    System.out.println(texts.size() + " texts, " + findings + " findings, all equal");
  }

  private static String fuzzLine(Random random) {
    StringBuilder b = new StringBuilder();
    int parts = 1 + random.nextInt(10);
    for (int k = 0; k < parts; k++) {
      switch (random.nextInt(3)) {
        case 0 -> b.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        case 1 ->
            random
                .ints(1 + random.nextInt(20), 0, CHARS.length())
                .forEach(c -> b.append(CHARS.charAt(c)));
        default -> random.ints(1 + random.nextInt(18), 0, 10).forEach(d -> b.append(d));
      }
      if (random.nextInt(8) == 0) {
        b.append('\n');
      }
    }
    return b.toString();
  }
}

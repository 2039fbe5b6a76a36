package dev.tracefix.capture.privacy.recognize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pair filter and the in-place ignore-case search answer as the plain definitions do. */
class TextStatsTest {
  private static final String[] LITERALS = {
    "bearer",
    "authorization",
    "token ",
    "aws",
    "secret",
    "ssn",
    "pass",
    "api_key",
    "private_key",
    "credential",
    "eyJ",
    "://",
    "AKIA",
    "ghp_",
    "github_pat_",
    "hooks.slack.com",
    "AIza",
    "_live_",
    "/home/",
    "\\Users\\",
    "k",
    "Ab",
    "",
    "é",
  };
  private static final String CHARS =
      "abcdeknoprstuwyzABCDEKNOPRSTUWYZ_-:/.\\ 0123456789\u212A\u0130é";

  @Test
  void hasAndHasIgnoreCaseMatchContainsOnTheLineAndItsLowerCase() {
    Random random = new Random(5);
    for (int n = 0; n < 50_000; n++) {
      StringBuilder b = new StringBuilder("before\n");
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        if (random.nextInt(6) == 0) {
          String literal = LITERALS[random.nextInt(LITERALS.length)];
          b.append(random.nextBoolean() ? literal : literal.toUpperCase(Locale.ROOT));
        } else {
          b.append(CHARS.charAt(random.nextInt(CHARS.length())));
        }
      }
      int start = "before\n".length();
      int end = b.length();
      String text = b.append("\nafter").toString();
      String line = text.substring(start, end);
      String lower = line.toLowerCase(Locale.ROOT);
      TextStats stats = new TextStats(text, start, end);
      for (String literal : LITERALS) {
        assertEquals(line.contains(literal), stats.has(literal), literal + " in " + line);
        assertEquals(
            lower.contains(literal), stats.hasIgnoreCase(literal), literal + " (ci) in " + line);
      }
    }
  }

  @Test
  void kelvinSignCountsAsKWhenIgnoringCaseLikeLowerCasingDoes() {
    String text = "TO\u212AEN=1";
    TextStats stats = new TextStats(text, 0, text.length());
    assertEquals(true, stats.hasIgnoreCase("token"));
    assertEquals(false, stats.has("TOKEN"));
  }
}

package dev.tracefix.capture.privacy.identity;

import dev.tracefix.capture.privacy.recognize.Checksums;
import java.util.ArrayList;
import java.util.List;

/** The shape of one word of a name: its camel-case parts, and whether it looks random. */
final class WordShape {
  private WordShape() {}

  /** {@code JohnDoe} → John, Doe; {@code IOThread} → IO, Thread; {@code nginx} → nginx. */
  static List<String> camelParts(String word) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < word.length(); i++) {
      char prev = word.charAt(i - 1);
      char c = word.charAt(i);
      boolean lowerToUpper = Character.isLowerCase(prev) && Character.isUpperCase(c);
      boolean acronymEnd =
          Character.isUpperCase(prev)
              && Character.isUpperCase(c)
              && i + 1 < word.length()
              && Character.isLowerCase(word.charAt(i + 1));
      if (lowerToUpper || acronymEnd) {
        parts.add(word.substring(start, i));
        start = i;
      }
    }
    parts.add(word.substring(start));
    return parts;
  }

  /**
   * Seven or more digits: a card, phone, account or national id number, or the start of one that
   * the kernel cut short. Thread pool numbers and pids are shorter.
   */
  static boolean isLongNumber(String word) {
    int run = 0;
    for (int i = 0; i < word.length(); i++) {
      run = Character.isDigit(word.charAt(i)) ? run + 1 : 0;
      if (run >= 7) {
        return true;
      }
    }
    return false;
  }

  /**
   * A key, hash or random id rather than a word: a long hex run, letters and digits interleaved
   * with high entropy ({@code aZ3kQ9xP2m}), or case flipping too often for camel case.
   */
  static boolean looksRandom(String word) {
    int n = word.length();
    if (n < 10) {
      return false;
    }
    int letters = 0;
    int digits = 0;
    int hex = 0;
    int upper = 0;
    int lower = 0;
    int digitLetterSwitches = 0;
    for (int i = 0; i < n; i++) {
      char c = word.charAt(i);
      boolean digit = Character.isDigit(c);
      digits += digit ? 1 : 0;
      letters += Character.isLetter(c) ? 1 : 0;
      upper += Character.isUpperCase(c) ? 1 : 0;
      lower += Character.isLowerCase(c) ? 1 : 0;
      hex += digit || "abcdefABCDEF".indexOf(c) >= 0 ? 1 : 0;
      if (i > 0 && digit != Character.isDigit(word.charAt(i - 1))) {
        digitLetterSwitches++;
      }
    }
    if (hex == n && n >= 12 && digits >= 2 && letters >= 2) {
      return true;
    }
    // python311, http2server: a name and its version switch once or twice; random text often.
    if (digits >= 2 && letters >= 2 && digitLetterSwitches >= 3 && Checksums.entropy(word) >= 3.0) {
      return true;
    }
    if (upper >= 3 && lower >= 3) {
      List<String> parts = camelParts(word);
      return (double) n / parts.size() < 3.0;
    }
    return false;
  }
}

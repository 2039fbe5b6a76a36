package dev.tracefix.capture.privacy.recognize;

import java.util.Locale;

/**
 * One pass over a line that counts the characters recognizers depend on, so a recognizer whose
 * anchor (an {@code @}, three dots, seven digits, a keyword) is absent costs no regex scan.
 */
public final class TextStats {
  private final String text;
  private final int start;
  private final int end;
  int digits;
  int upper;
  int at;
  int colons;
  int dots;
  int dashes;
  int equals;
  int slashes;
  int backslashes;
  int plus;

  /** Longest run of base64/url-token characters: a 20+ char secret needs one. */
  int longestTokenRun;

  /** Characters outside ASCII: then ignore-case checks take the exact, lower-casing path. */
  private int nonAscii;

  /**
   * A 256-bit Bloom filter of the line's adjacent character pairs, ASCII letters folded to lower
   * case: a literal with a pair that is not in it cannot occur, ignoring case or not, so most
   * {@link #has} and {@link #hasIgnoreCase} calls return without searching the line.
   */
  private long pairs0;

  private long pairs1;
  private long pairs2;
  private long pairs3;
  private final boolean counted;
  private String lower;

  TextStats(String text, int start, int end) {
    this(text, start, end, true);
  }

  /** Without {@code count} only the literal checks work: for multi-line recognizers. */
  TextStats(String text, int start, int end, boolean count) {
    this.text = text;
    this.start = start;
    this.end = end;
    this.counted = count;
    if (!count) {
      return;
    }
    int run = 0;
    int prev = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      int folded = c >= 'A' && c <= 'Z' ? c + 32 : c;
      if (c >= 128) {
        nonAscii++;
      } else {
        addPair(prev, folded);
      }
      prev = folded;
      boolean tokenChar =
          (c >= '0' && c <= '9')
              || (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || c == '+'
              || c == '/'
              || c == '_'
              || c == '-';
      run = tokenChar ? run + 1 : 0;
      if (run > longestTokenRun) {
        longestTokenRun = run;
      }
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c >= 'A' && c <= 'Z') {
        upper++;
      } else if (c < 'a') {
        switch (c) {
          case '@' -> at++;
          case ':' -> colons++;
          case '.' -> dots++;
          case '-' -> dashes++;
          case '=' -> equals++;
          case '/' -> slashes++;
          case '\\' -> backslashes++;
          case '+' -> plus++;
          default -> {}
        }
      }
    }
  }

  private static int pairHash(int first, int second) {
    return (first * 0x9E3779B1 + second * 0x85EBCA6B) >>> 24;
  }

  private void addPair(int first, int second) {
    int h = pairHash(first, second);
    long bit = 1L << h;
    switch (h >>> 6) {
      case 0 -> pairs0 |= bit;
      case 1 -> pairs1 |= bit;
      case 2 -> pairs2 |= bit;
      default -> pairs3 |= bit;
    }
  }

  private boolean hasPair(int first, int second) {
    int h = pairHash(first, second);
    long bits =
        switch (h >>> 6) {
          case 0 -> pairs0;
          case 1 -> pairs1;
          case 2 -> pairs2;
          default -> pairs3;
        };
    return (bits & (1L << h)) != 0;
  }

  /**
   * False only if the ASCII literal cannot be in the line (some folded pair of it is missing,
   * counting the line start as the pair's first character 0). Literals with other characters, and
   * lines whose pairs were not counted, always pass.
   */
  private boolean mayContain(String literal) {
    if (!counted) {
      return true;
    }
    int prev = -1;
    for (int k = 0; k < literal.length(); k++) {
      char c = literal.charAt(k);
      if (c >= 128) {
        return true;
      }
      int folded = c >= 'A' && c <= 'Z' ? c + 32 : c;
      if (prev >= 0 && !hasPair(prev, folded)) {
        return false;
      }
      prev = folded;
    }
    return true;
  }

  public int length() {
    return end - start;
  }

  /** Whether the line contains {@code literal} (case-sensitive). */
  public boolean has(String literal) {
    if (!mayContain(literal)) {
      return false;
    }
    // Bounded to the line: an unbounded indexOf would rescan the rest of a large text per line.
    int i = text.indexOf(literal, start, end);
    return i >= 0 && i + literal.length() <= end;
  }

  /**
   * Whether the line contains {@code lowerLiteral} ignoring case, as the lower-cased line would.
   */
  public boolean hasIgnoreCase(String lowerLiteral) {
    if (!counted || nonAscii > 0) {
      // toLowerCase maps a few non-ASCII characters to ASCII (U+212A KELVIN SIGN to 'k').
      if (lower == null) {
        lower = text.substring(start, end).toLowerCase(Locale.ROOT);
      }
      return lower.contains(lowerLiteral);
    }
    if (!mayContain(lowerLiteral)) {
      return false;
    }
    return indexOfAsciiIgnoreCase(lowerLiteral) >= 0;
  }

  /** On an all-ASCII line, where lower-casing is {@code A-Z} to {@code a-z}, without a copy. */
  private int indexOfAsciiIgnoreCase(String lowerLiteral) {
    int n = lowerLiteral.length();
    if (n == 0) {
      return start;
    }
    char first = lowerLiteral.charAt(0);
    for (int i = start, last = end - n; i <= last; i++) {
      if (StartChecks.lower(text.charAt(i)) != first) {
        continue;
      }
      int k = 1;
      while (k < n && StartChecks.lower(text.charAt(i + k)) == lowerLiteral.charAt(k)) {
        k++;
      }
      if (k == n) {
        return i;
      }
    }
    return -1;
  }

  public boolean hasAnyIgnoreCase(String... lowerLiterals) {
    for (String literal : lowerLiterals) {
      if (hasIgnoreCase(literal)) {
        return true;
      }
    }
    return false;
  }

  public boolean hasAny(String... literals) {
    for (String literal : literals) {
      if (has(literal)) {
        return true;
      }
    }
    return false;
  }
}

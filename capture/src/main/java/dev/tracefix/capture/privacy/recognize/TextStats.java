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
  private String lower;

  TextStats(String text, int start, int end) {
    this(text, start, end, true);
  }

  /** Without {@code count} only the literal checks work: for multi-line recognizers. */
  TextStats(String text, int start, int end, boolean count) {
    this.text = text;
    this.start = start;
    this.end = end;
    if (!count) {
      return;
    }
    int run = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      boolean tokenChar = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
          || c == '+' || c == '/' || c == '_' || c == '-';
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

  public int length() {
    return end - start;
  }

  /** Whether the line contains {@code literal} (case-sensitive). */
  public boolean has(String literal) {
    // Bounded to the line: an unbounded indexOf would rescan the rest of a large text per line.
    int i = text.indexOf(literal, start, end);
    return i >= 0 && i + literal.length() <= end;
  }

  /** Whether the line contains {@code lowerLiteral} ignoring case; lower-cases the line once. */
  public boolean hasIgnoreCase(String lowerLiteral) {
    if (lower == null) {
      lower = text.substring(start, end).toLowerCase(Locale.ROOT);
    }
    return lower.contains(lowerLiteral);
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

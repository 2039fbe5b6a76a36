package dev.tracefix.capture.privacy.recognize;

/**
 * Hand-written checks of the first few characters an anchored pattern needs, run before the regex.
 * Each is a necessary condition only (it never rejects a position where the pattern would match
 * within {@code [i, end)}), so findings are unchanged; it spares the regex engine the far more
 * common positions where the pattern fails on its first characters (every word that starts with a
 * hex letter is an IPv6 candidate, every digit a phone candidate).
 */
final class StartChecks {
  private StartChecks() {}

  /** {@code eyJ}. */
  static boolean jwt(CharSequence t, int i, int end) {
    return i + 2 < end && t.charAt(i) == 'e' && t.charAt(i + 1) == 'y' && t.charAt(i + 2) == 'J';
  }

  /** {@code authorization...} or {@code bearer...}, ASCII case-insensitive like {@code (?i)}. */
  static boolean auth(CharSequence t, int i, int end) {
    return startsWithIgnoreCase(t, i, end, "authorization")
        || startsWithIgnoreCase(t, i, end, "bearer");
  }

  /** The first three letters of a {@link SecretAssignment} keyword, case-insensitive. */
  static boolean secretKeyword(CharSequence t, int i, int end) {
    if (i + 2 >= end) {
      return false;
    }
    return switch (lower(t.charAt(i))) {
      case 'p' ->
          startsWithIgnoreCase(t, i, end, "pas")
              || startsWithIgnoreCase(t, i, end, "pwd")
              || startsWithIgnoreCase(t, i, end, "pri");
      case 's' -> startsWithIgnoreCase(t, i, end, "sec");
      case 't' -> startsWithIgnoreCase(t, i, end, "tok");
      case 'a' ->
          startsWithIgnoreCase(t, i, end, "api")
              || startsWithIgnoreCase(t, i, end, "acc")
              || startsWithIgnoreCase(t, i, end, "aut");
      case 'c' -> startsWithIgnoreCase(t, i, end, "cre");
      default -> false;
    };
  }

  /** A local part of 1 to 64 characters ({@code {1,64}+} is possessive) followed by {@code @}. */
  static boolean emailLocalPart(CharSequence t, int i, int end) {
    int limit = Math.min(end, i + 64);
    int j = i;
    while (j < limit && isEmailLocal(t.charAt(j))) {
      j++;
    }
    return j > i && j < end && t.charAt(j) == '@';
  }

  /** Country code and check digits: {@code [A-Z]{2}[0-9]{2}}. */
  static boolean iban(CharSequence t, int i, int end) {
    return i + 3 < end
        && isUpper(t.charAt(i))
        && isUpper(t.charAt(i + 1))
        && isDigit(t.charAt(i + 2))
        && isDigit(t.charAt(i + 3));
  }

  /** At least 13 digits, each pair separated by at most one space or dash. */
  static boolean card(CharSequence t, int i, int end) {
    int digits = 0;
    boolean separated = false;
    for (int j = i; j < end; j++) {
      char c = t.charAt(j);
      if (isDigit(c)) {
        if (++digits >= 13) {
          return true;
        }
        separated = false;
      } else if ((c == ' ' || c == '-') && !separated) {
        separated = true;
      } else {
        return false;
      }
    }
    return false;
  }

  /**
   * {@code [0-9]{3}-}. The pattern's other alternative ({@code (?<=ssn...)[0-9]{9}}) needs a
   * lookbehind, which cannot see before the start of the region a match is tried in.
   */
  static boolean ssn(CharSequence t, int i, int end) {
    return i + 3 < end
        && isDigit(t.charAt(i))
        && isDigit(t.charAt(i + 1))
        && isDigit(t.charAt(i + 2))
        && t.charAt(i + 3) == '-';
  }

  /** Every IPv6 form starts with {@code ::} or with 1 to 4 hex digits and a colon. */
  static boolean ipv6(CharSequence t, int i, int end) {
    int j = i;
    while (j < end && j - i <= 4 && isHex(t.charAt(j))) {
      j++;
    }
    if (j >= end || t.charAt(j) != ':') {
      return false;
    }
    return j > i ? j - i <= 4 : j + 1 < end && t.charAt(j + 1) == ':';
  }

  /** {@code hh:} / {@code hh-} (colon or dash form) or {@code hhhh.} (Cisco dotted form). */
  static boolean mac(CharSequence t, int i, int end) {
    if (i + 2 >= end || !isHex(t.charAt(i)) || !isHex(t.charAt(i + 1))) {
      return false;
    }
    char c = t.charAt(i + 2);
    if (c == ':' || c == '-') {
      return true;
    }
    return i + 4 < end && isHex(c) && isHex(t.charAt(i + 3)) && t.charAt(i + 4) == '.';
  }

  /** A first octet of 1 to 3 digits followed by a dot. */
  static boolean ipv4(CharSequence t, int i, int end) {
    int j = digitRun(t, i, end, 4);
    return j - i >= 1 && j - i <= 3 && j < end && t.charAt(j) == '.';
  }

  /**
   * The start of one of the phone alternatives: {@code +[1-9]}; {@code [2-9]dd} after an optional
   * {@code (}, then an optional {@code )} and a separator; or a trunk prefix {@code 0[1-9]} with 3
   * to 6 digits in all before a separator. No alternative starts with {@code 1}.
   */
  static boolean phone(CharSequence t, int i, int end) {
    char c = t.charAt(i);
    if (c == '+') {
      return i + 1 < end && t.charAt(i + 1) >= '1' && t.charAt(i + 1) <= '9';
    }
    if (c == '(') { // `(555) 123-4567`, `(555)123-4567`, and `\(?` also allows `(555 123-4567`
      if (i + 4 >= end
          || t.charAt(i + 1) < '2'
          || t.charAt(i + 1) > '9'
          || !isDigit(t.charAt(i + 2))
          || !isDigit(t.charAt(i + 3))) {
        return false;
      }
      char next = t.charAt(i + 4);
      return next == ')' || next == ' ' || next == '.' || next == '-';
    }
    if (c == '0') {
      if (i + 1 >= end || t.charAt(i + 1) < '1' || t.charAt(i + 1) > '9') {
        return false;
      }
      int j = digitRun(t, i, end, 7);
      return j - i >= 3
          && j - i <= 6
          && j < end
          && (t.charAt(j) == ' ' || t.charAt(j) == '/' || t.charAt(j) == '-');
    }
    if (c < '2'
        || c > '9'
        || i + 3 >= end
        || !isDigit(t.charAt(i + 1))
        || !isDigit(t.charAt(i + 2))) {
      return false;
    }
    char next = t.charAt(i + 3);
    if (next == ')') {
      if (i + 4 >= end) {
        return false;
      }
      next = t.charAt(i + 4);
    }
    return next == ' ' || next == '.' || next == '-';
  }

  /**
   * A key ({@code [A-Za-z_][A-Za-z0-9_.-]{0,63}+}), an optional quote, at most three spaces, then
   * {@code =} or {@code :}.
   */
  static boolean keyAssignment(CharSequence t, int i, int end) {
    int limit = Math.min(end, i + 64);
    int j = i + 1;
    while (j < limit && isKeyChar(t.charAt(j))) {
      j++;
    }
    if (j < end && (t.charAt(j) == '"' || t.charAt(j) == '\'')) {
      j++;
    }
    int spaces = 0;
    while (j < end && spaces < 3 && t.charAt(j) == ' ') {
      j++;
      spaces++;
    }
    return j < end && (t.charAt(j) == '=' || t.charAt(j) == ':');
  }

  private static int digitRun(CharSequence t, int i, int end, int cap) {
    int j = i;
    while (j < end && j - i < cap && isDigit(t.charAt(j))) {
      j++;
    }
    return j;
  }

  private static boolean startsWithIgnoreCase(CharSequence t, int i, int end, String lower) {
    if (i + lower.length() > end) {
      return false;
    }
    for (int k = 0; k < lower.length(); k++) {
      if (lower(t.charAt(i + k)) != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** ASCII-only lower case, as {@code (?i)} without {@code UNICODE_CASE} compares. */
  static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isKeyChar(char c) {
    return (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || c == '.'
        || c == '-';
  }

  private static boolean isEmailLocal(char c) {
    return (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '.'
        || c == '_'
        || c == '%'
        || c == '+'
        || c == '-';
  }
}

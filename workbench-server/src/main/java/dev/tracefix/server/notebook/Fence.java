package dev.tracefix.server.notebook;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A CommonMark code fence line: up to three spaces, three or more backticks or tildes, info. */
record Fence(char marker, int length, String info) {

  private static final Pattern OPENING = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");

  /** The opening fence on this line (terminator already stripped), if it is one. */
  static Optional<Fence> opening(String line) {
    Matcher m = OPENING.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    char marker = m.group(1).charAt(0);
    String info = m.group(2).strip();
    if (marker == '`' && info.indexOf('`') >= 0) {
      return Optional.empty(); // CommonMark: such a line is inline code, not a fence
    }
    return Optional.of(new Fence(marker, m.group(1).length(), info));
  }

  /** Whether this line (terminator stripped) closes a block opened by this fence. */
  boolean closedBy(String line) {
    int i = 0;
    while (i < line.length() && i < 3 && line.charAt(i) == ' ') {
      i++;
    }
    int run = 0;
    while (i < line.length() && line.charAt(i) == marker) {
      i++;
      run++;
    }
    if (run < length) {
      return false;
    }
    return line.substring(i).isBlank();
  }

  /** The first word of the info string (the language or cell kind). */
  String firstWord() {
    int space = indexOfWhitespace(info);
    return space < 0 ? info : info.substring(0, space);
  }

  /** The info string after the first word. */
  String rest() {
    int space = indexOfWhitespace(info);
    return space < 0 ? "" : info.substring(space).strip();
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}

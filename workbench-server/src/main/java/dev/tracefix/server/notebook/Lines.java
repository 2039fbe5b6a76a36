package dev.tracefix.server.notebook;

import java.util.ArrayList;
import java.util.List;

/** Splits text into lines that keep their terminators, so joining them gives the text back. */
final class Lines {
  private Lines() {}

  /**
   * Lines with their {@code \n}, {@code \r\n} or {@code \r} terminators; the last may have none.
   */
  static List<String> split(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        int end =
            (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') ? i + 2 : i + 1;
        lines.add(text.substring(start, end));
        start = end;
        i = end;
      } else {
        i++;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  static String stripTerminator(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    return line.substring(0, end);
  }

  static String terminator(String line) {
    return line.substring(stripTerminator(line).length());
  }
}

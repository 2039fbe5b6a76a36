package dev.tracefix.server.notebook;

import java.util.Optional;

/** The kinds of cell a fenced block can declare as the first word of its info string. */
public enum CellKind {
  SQL,
  JAVA,
  ASK,
  CAPTURE,
  MINIMIZE,
  BISECT,
  PATCH;

  /** The word used in the info string, e.g. {@code sql}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Action cells have a {@code key: value} body instead of code. */
  public boolean isAction() {
    return switch (this) {
      case SQL, JAVA -> false;
      case ASK, CAPTURE, MINIMIZE, BISECT, PATCH -> true;
    };
  }

  /** The kind an info-string word names; empty for words such as {@code text} (prose fences). */
  public static Optional<CellKind> fromWord(String word) {
    for (CellKind kind : values()) {
      if (kind.word().equals(word)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}

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

  /**
   * Fence languages one edit away from a kind that are ordinary languages, not typos ({@code psql}
   * is the PostgreSQL console, one letter off {@code sql}).
   */
  private static final java.util.Set<String> PLAIN_LANGUAGES = java.util.Set.of("psql", "task");

  /**
   * The kind a word that is not one most likely meant: the same word in other case ({@code SQL}),
   * or one letter added, dropped or changed ({@code sqll}, {@code jav}); empty for an ordinary
   * fence language such as {@code text}, {@code sh} or {@code json}, which stays prose.
   */
  public static Optional<CellKind> lookalike(String word) {
    String lower = word.toLowerCase(java.util.Locale.ROOT);
    if (fromWord(word).isPresent() || PLAIN_LANGUAGES.contains(lower)) {
      return Optional.empty();
    }
    for (CellKind kind : values()) {
      if (kind.word().equals(lower) || (lower.length() >= 3 && oneEditApart(lower, kind.word()))) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /** The kinds' words, comma-separated, for messages. */
  public static String words() {
    return String.join(", ", java.util.Arrays.stream(values()).map(CellKind::word).toList());
  }

  /** One insertion, deletion or substitution turns {@code a} into {@code b}. */
  private static boolean oneEditApart(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 1 || a.equals(b)) {
      return false;
    }
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    if (a.length() == b.length()) {
      return a.substring(i + 1).equals(b.substring(i + 1));
    }
    return a.length() > b.length()
        ? a.substring(i + 1).equals(b.substring(i))
        : a.substring(i).equals(b.substring(i + 1));
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

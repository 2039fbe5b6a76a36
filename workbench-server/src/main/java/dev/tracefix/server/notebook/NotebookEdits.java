package dev.tracefix.server.notebook;

import dev.tracefix.server.ServerException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The structural edits a notebook editor makes (insert a block, delete one, turn prose into a cell
 * or back, rewrite prose), addressed by block index as the UI lists them. Every edit rewrites only
 * the blocks it names and parses the result again, so untouched cells keep their exact bytes and an
 * edit that would break the file is refused instead of saved.
 */
public final class NotebookEdits {
  /** The block kind of prose in an edit, beside the cell kinds' words. */
  public static final String MARKDOWN = "markdown";

  private NotebookEdits() {}

  /**
   * Inserts a block at {@code index} (0 = first, blocks().size() = last): prose when {@code kind}
   * is {@code markdown}, else a cell of that kind with {@code id} (a fresh one when null).
   */
  public static Notebook insert(Notebook nb, int index, String kind, String source, String id) {
    checkIndex(nb, index, nb.blocks().size());
    String text =
        kind.equals(MARKDOWN) ? prose(source) : cellText(nb, kindOf(nb, kind), id, source);
    List<String> texts = texts(nb);
    // A fenced cell needs a line of its own: end the previous block's line if it did not.
    if (index > 0 && !texts.get(index - 1).endsWith("\n")) {
      texts.set(index - 1, texts.get(index - 1) + "\n");
    }
    texts.add(index, text);
    return NotebookParser.parse(nb.fileName(), String.join("", texts));
  }

  public static Notebook delete(Notebook nb, int index) {
    checkIndex(nb, index, nb.blocks().size() - 1);
    List<String> texts = texts(nb);
    texts.remove(index);
    return NotebookParser.parse(nb.fileName(), String.join("", texts));
  }

  /** Prose becomes a cell of {@code kind} with the prose as its source, a cell becomes prose. */
  public static Notebook convert(Notebook nb, int index, String kind) {
    checkIndex(nb, index, nb.blocks().size() - 1);
    NotebookBlock block = nb.blocks().get(index);
    String source =
        switch (block) {
          case Cell c -> c.source();
          case NotebookBlock.Prose p -> p.text().strip();
        };
    String text;
    if (kind.equals(MARKDOWN)) {
      text = prose(source);
    } else {
      String id = block instanceof Cell c && c.attributes().containsKey("id") ? c.id() : null;
      text = cellText(nb, kindOf(nb, kind), id, source);
    }
    List<String> texts = texts(nb);
    texts.set(index, text);
    return NotebookParser.parse(nb.fileName(), String.join("", texts));
  }

  /** Replaces a prose block's text. */
  public static Notebook setProse(Notebook nb, int index, String source) {
    checkIndex(nb, index, nb.blocks().size() - 1);
    if (!(nb.blocks().get(index) instanceof NotebookBlock.Prose)) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          nb.fileName() + ": block " + index + " is a cell; edit its source instead");
    }
    List<String> texts = texts(nb);
    texts.set(index, prose(source));
    return NotebookParser.parse(nb.fileName(), String.join("", texts));
  }

  /** Prose set off by blank lines, so it never runs into a neighbouring fence or paragraph. */
  private static String prose(String source) {
    return "\n" + source.strip() + "\n\n";
  }

  private static String cellText(Notebook nb, CellKind kind, String id, String source) {
    String cellId = id == null || id.isBlank() ? freshId(nb) : id;
    if (!cellId.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
      throw new ServerException(
          ServerException.Kind.INVALID, nb.fileName() + ": '" + cellId + "' is not a cell id");
    }
    String fence = "```";
    while (source.contains(fence)) {
      fence += "`";
    }
    String body = source.isEmpty() || source.endsWith("\n") ? source : source + "\n";
    return fence + kind.word() + " id=" + cellId + "\n" + body + fence + "\n";
  }

  private static String freshId(Notebook nb) {
    Set<String> taken = new HashSet<>();
    nb.cells().forEach(c -> taken.add(c.id()));
    String id;
    do {
      id = "c_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    } while (taken.contains(id));
    return id;
  }

  private static CellKind kindOf(Notebook nb, String word) {
    for (CellKind k : CellKind.values()) {
      if (k.word().equals(word.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new ServerException(
        ServerException.Kind.INVALID,
        nb.fileName() + ": unknown block kind '" + word + "' (markdown, sql, java, ...)");
  }

  private static void checkIndex(Notebook nb, int index, int max) {
    if (index < 0 || index > max) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          nb.fileName() + ": block index " + index + " is outside 0.." + max);
    }
  }

  private static List<String> texts(Notebook nb) {
    List<String> texts = new ArrayList<>();
    nb.blocks().forEach(b -> texts.add(b.text()));
    return texts;
  }
}

package dev.tracefix.server.fixloop;

import dev.tracefix.server.run.CellContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code key: value} body of a fix-loop cell, with the lookups the three cells share. */
public record ActionArguments(String cellKind, Map<String, String> values, Set<String> knownKeys) {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

  /** Rejects keys the cell does not know, so a typo ({@code tiemout}) is not silently ignored. */
  public ActionArguments {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(knownKeys);
    if (!unknown.isEmpty()) {
      throw new FixLoopException(
          FixLoopException.Kind.USER,
          cellKind + " cell: unknown key(s) " + unknown + "; known keys are " + new TreeSet<>(knownKeys));
    }
  }

  public Optional<String> optional(String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  public String required(String key) {
    return optional(key)
        .orElseThrow(
            () ->
                new FixLoopException(
                    FixLoopException.Kind.USER,
                    cellKind + " cell: missing '" + key + ":' line in the body"));
  }

  /** Durations as {@code 500ms}, {@code 30s}, {@code 2m} or ISO-8601 ({@code PT30S}). */
  public Duration duration(String key, Duration fallback) {
    Optional<String> text = optional(key);
    if (text.isEmpty()) {
      return fallback;
    }
    Matcher m = SHORT_DURATION.matcher(text.get());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMinutes(n);
      };
    }
    try {
      return Duration.parse(text.get());
    } catch (DateTimeParseException e) {
      throw new FixLoopException(
          FixLoopException.Kind.USER,
          cellKind + " cell: '" + key + ": " + text.get() + "' is not a duration (e.g. 30s)");
    }
  }

  public int positiveInt(String key, int fallback) {
    Optional<String> text = optional(key);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text.get());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new FixLoopException(
        FixLoopException.Kind.USER,
        cellKind + " cell: '" + key + ": " + text.get() + "' must be a whole number >= 1");
  }

  /**
   * The {@code repo:} folder: an absolute path, or a path relative to the project root, or to the
   * notebook's folder (first that exists).
   */
  public Path repo(CellContext context) {
    return requireRepo(folder(context));
  }

  /** Like {@link #repo} without requiring a git repository (minimize runs in any folder). */
  public Path folder(CellContext context) {
    String text = required("repo");
    Path given = Path.of(text);
    if (given.isAbsolute() && Files.isDirectory(given)) {
      return given;
    }
    for (Path base : new Path[] {context.projectDir(), context.notebookDir()}) {
      if (!given.isAbsolute() && base != null && Files.isDirectory(base.resolve(given))) {
        return base.resolve(given).normalize();
      }
    }
    throw new FixLoopException(
        FixLoopException.Kind.USER,
        cellKind
            + " cell: repo '"
            + text
            + "' is not a folder, neither absolute nor under the project root ("
            + context.projectDir()
            + ") nor under the notebook folder");
  }

  private Path requireRepo(Path dir) {
    if (!Files.isDirectory(dir.resolve(".git")) && !Files.isRegularFile(dir.resolve(".git"))) {
      throw new FixLoopException(
          FixLoopException.Kind.USER, cellKind + " cell: " + dir + " is not a git repository");
    }
    return dir;
  }
}

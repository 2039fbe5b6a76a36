package dev.tracefix.server.fixloop;

import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.server.run.CellContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code key: value} body of a fix-loop cell: the cell's own keys plus the repro spec's ({@link
 * ReproSpec#KEYS}), and the lookups the three cells share. A {@code spec:} key names a spec file in
 * the repository whose keys the cell's own override.
 */
public record ActionArguments(String cellKind, Map<String, String> values, Set<String> knownKeys) {
  public ActionArguments {
    Set<String> known = new HashSet<>(knownKeys);
    known.addAll(ReproSpec.KEYS);
    known.add("spec");
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new FixLoopException(
          FixLoopException.Kind.USER,
          cellKind
              + " cell: unknown key(s) "
              + unknown
              + "; known keys are "
              + new TreeSet<>(known));
    }
    knownKeys = Set.copyOf(known);
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
    return optional(key)
        .map(t -> ReproSpec.parseDuration(t, cellKind + " cell: '" + key + ":'"))
        .orElse(fallback);
  }

  public int positiveInt(String key, int fallback) {
    return optional(key)
        .map(t -> ReproSpec.parsePositiveInt(t, cellKind + " cell", key))
        .orElse(fallback);
  }

  /** {@code yes}/{@code true}/{@code on} or {@code no}/{@code false}/{@code off}. */
  public boolean flag(String key) {
    Optional<String> text = optional(key);
    if (text.isEmpty()) {
      return false;
    }
    return switch (text.get().toLowerCase(java.util.Locale.ROOT)) {
      case "yes", "true", "on" -> true;
      case "no", "false", "off" -> false;
      default ->
          throw new FixLoopException(
              FixLoopException.Kind.USER,
              cellKind + " cell: '" + key + ": " + text.get() + "' must be yes or no");
    };
  }

  /** A comma- or space-separated list ({@code good: v1.0, 3f9a1c2}). */
  public List<String> list(String key) {
    return optional(key).map(t -> List.of(t.split("[,\\s]+"))).orElse(List.of());
  }

  /**
   * The repro spec: the {@code spec:} file (relative to the repo) if given, overridden by the
   * cell's own spec keys; {@code timeout} defaults to {@code defaultTimeout}.
   */
  public ReproSpec spec(Path repo, Duration defaultTimeout) {
    Map<String, String> merged = new LinkedHashMap<>();
    Path base = repo;
    if (optional("spec").isPresent()) {
      Path file = repo.resolve(required("spec"));
      if (!Files.isRegularFile(file)) {
        throw new FixLoopException(
            FixLoopException.Kind.USER, cellKind + " cell: spec file " + file + " does not exist");
      }
      merged.putAll(ReproSpec.readValues(file));
      base = file.getParent();
    }
    for (String key : ReproSpec.KEYS) {
      optional(key).ifPresent(v -> merged.put(key, v));
    }
    merged.putIfAbsent("timeout", defaultTimeout.toMillis() + "ms");
    if (!merged.containsKey("run")) {
      required("run");
    }
    return ReproSpec.fromMap(merged, base, cellKind + " cell");
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

package dev.tracefix.fixloop.repro;

import dev.tracefix.fixloop.FixLoopException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How to reproduce an incident: build the target, start it, replay an input sequence against it on
 * a timing schedule, and tell a failing run from a passing one.
 *
 * <p>The same {@code key: value} lines are a notebook action cell's body and a spec file in the
 * target repository ({@link #read}); a file's relative {@code input:} path resolves against the
 * file's folder. Keys:
 *
 * <ul>
 *   <li>{@code incident} — a short name for the incident (commit messages, PR text)
 *   <li>{@code build} — run once per source tree before the repro; exit != 0 means "cannot build
 *       here", a skip, like exit 125
 *   <li>{@code start} — a target service started before each run, killed (its whole process group)
 *       after; {@code ready} — a regex its output must match before the run starts; the first group
 *       (or the whole match) reaches the run as {@code $TRACEFIX_READY}
 *   <li>{@code run} — the repro; it finds the input CSV in {@code $TRACEFIX_INPUT}, and as its last
 *       argument unless it mentions that variable. Exit codes as {@code git bisect run}: 0 passes,
 *       1–127 fails (125: cannot tell, skip), 128 or more aborts
 *   <li>{@code match} — a failing run counts only if its output matches this regex; another failure
 *       is "cannot tell" (a different bug)
 *   <li>{@code capture-query} — judge the run by what it did rather than by its exit code: the
 *       target and the run are captured (syscalls, TCP; redacted like any capture) and the run
 *       fails when this read-only SQL query over the capture returns a row. Exit 125 still skips
 *       and 128 or more still aborts. Needs a front end with the capture (root, eBPF)
 *   <li>{@code input} — the sequence: a CSV file (spec file) or a SQL cell's name (notebook)
 *   <li>{@code schedule} — a time column: the repro gets a {@code delay_ms} column, the gap to the
 *       previous row, and may wait that long before each row
 *   <li>{@code timeout} (default 60s) and {@code build-timeout} (default 10m) — per command
 *   <li>{@code test} — the target's own tests, a guardrail for patches
 *   <li>{@code repeat} — runs per verdict for a flaky repro (majority wins); default 1
 *   <li>{@code shrink} — columns whose values are shrunk after ddmin ({@code all}, {@code none}, or
 *       a comma list); {@code shrink-budget} caps those repro runs (default 100)
 *   <li>{@code test-file} — where the generated regression test goes in the target repository
 * </ul>
 */
public record ReproSpec(
    String incident,
    Optional<String> build,
    Optional<String> start,
    Optional<Pattern> ready,
    String run,
    Optional<Pattern> match,
    Optional<String> input,
    Optional<String> schedule,
    Duration timeout,
    Duration buildTimeout,
    Optional<String> test,
    int repeat,
    Shrink shrink,
    Optional<String> testFile,
    Optional<String> captureQuery,
    Path baseDir) {

  /** The keys a spec understands; front ends add their own (repo, good, bad, ...). */
  public static final Set<String> KEYS =
      Set.of(
          "incident",
          "build",
          "start",
          "ready",
          "run",
          "match",
          "input",
          "schedule",
          "timeout",
          "build-timeout",
          "test",
          "repeat",
          "shrink",
          "shrink-budget",
          "test-file",
          "capture-query");

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  /** Which input columns value shrinking may change, and how many repro runs it may spend. */
  public record Shrink(boolean all, List<String> columns, int budget) {
    public static final Shrink NONE = new Shrink(false, List.of(), 0);

    public boolean covers(String column) {
      return budget > 0 && (all || columns.contains(column));
    }
  }

  public ReproSpec {
    if (run == null || run.isBlank()) {
      throw new FixLoopException(
          FixLoopException.Kind.USER, "the repro spec needs a 'run:' command");
    }
    if (start.isEmpty() && ready.isPresent()) {
      throw new FixLoopException(FixLoopException.Kind.USER, "'ready:' needs a 'start:' command");
    }
  }

  /** A spec with only a run command (tests, the bisect CLI). */
  public static ReproSpec ofRun(String run, Duration timeout) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("run", run);
    values.put("timeout", timeout.toMillis() + "ms");
    return fromMap(values, Path.of("").toAbsolutePath(), "repro spec");
  }

  /**
   * Reads the spec keys of {@code values} (others are ignored: the caller checks its own).
   *
   * @param where names the source in error messages ("minimize cell", "repro.spec")
   */
  public static ReproSpec fromMap(Map<String, String> values, Path baseDir, String where) {
    Values v = new Values(values, where);
    return new ReproSpec(
        v.optional("incident").orElse(""),
        v.optional("build"),
        v.optional("start"),
        v.optional("ready").map(r -> v.regex("ready", r)),
        v.optional("run").orElse(""),
        v.optional("match").map(r -> v.regex("match", r)),
        v.optional("input"),
        v.optional("schedule"),
        v.duration("timeout", Duration.ofSeconds(60)),
        v.duration("build-timeout", Duration.ofMinutes(10)),
        v.optional("test"),
        v.positiveInt("repeat", 1),
        v.shrink(),
        v.optional("test-file"),
        v.optional("capture-query"),
        baseDir);
  }

  /** Reads a spec file: {@code key: value} lines, {@code #} comments, blank lines. */
  public static ReproSpec read(Path file) {
    return fromMap(readValues(file), file.toAbsolutePath().getParent(), file.toString());
  }

  /** A spec file's keys and values as written (for a front end that overrides some). */
  public static Map<String, String> readValues(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.USER,
          "cannot read the repro spec " + file + ": " + e.getMessage(),
          e);
    }
    Map<String, String> values = parseLines(lines, file.toString());
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new FixLoopException(
          FixLoopException.Kind.USER,
          file + ": unknown key(s) " + unknown + "; known keys are " + new TreeSet<>(KEYS));
    }
    return values;
  }

  static Map<String, String> parseLines(List<String> lines, String where) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new FixLoopException(
            FixLoopException.Kind.USER,
            where + ":" + (i + 1) + ": expected 'key: value', got '" + line + "'");
      }
      String key = line.substring(0, colon).strip();
      if (values.put(key, line.substring(colon + 1).strip()) != null) {
        throw new FixLoopException(
            FixLoopException.Kind.USER, where + ":" + (i + 1) + ": '" + key + "' is given twice");
      }
    }
    return values;
  }

  /** The spec as a file's text, keys in a fixed order; what {@link #read} reads back. */
  public String text() {
    StringBuilder out = new StringBuilder("# tracefix repro spec (see 'tracefix help fix')\n");
    line(out, "incident", incident.isEmpty() ? null : incident);
    line(out, "build", build.orElse(null));
    line(out, "start", start.orElse(null));
    line(out, "ready", ready.map(Pattern::pattern).orElse(null));
    line(out, "run", run);
    line(out, "match", match.map(Pattern::pattern).orElse(null));
    line(out, "input", input.orElse(null));
    line(out, "schedule", schedule.orElse(null));
    line(out, "timeout", timeout.toMillis() + "ms");
    line(out, "build-timeout", buildTimeout.toMillis() + "ms");
    line(out, "test", test.orElse(null));
    line(out, "repeat", Integer.toString(repeat));
    line(
        out,
        "shrink",
        shrink.budget() == 0 ? "none" : shrink.all() ? "all" : String.join(", ", shrink.columns()));
    if (shrink.budget() > 0) {
      line(out, "shrink-budget", Integer.toString(shrink.budget()));
    }
    line(out, "test-file", testFile.orElse(null));
    line(out, "capture-query", captureQuery.orElse(null));
    return out.toString();
  }

  private static void line(StringBuilder out, String key, String value) {
    if (value != null) {
      out.append(key).append(": ").append(value).append('\n');
    }
  }

  /** The {@code input:} CSV file of a spec file, resolved against the file's folder. */
  public Optional<Path> inputFile() {
    return input.map(baseDir::resolve);
  }

  public ReproSpec withInput(String newInput) {
    return new ReproSpec(
        incident,
        build,
        start,
        ready,
        run,
        match,
        Optional.ofNullable(newInput),
        schedule,
        timeout,
        buildTimeout,
        test,
        repeat,
        shrink,
        testFile,
        captureQuery,
        baseDir);
  }

  public ReproSpec withRepeat(int newRepeat) {
    return new ReproSpec(
        incident,
        build,
        start,
        ready,
        run,
        match,
        input,
        schedule,
        timeout,
        buildTimeout,
        test,
        newRepeat,
        shrink,
        testFile,
        captureQuery,
        baseDir);
  }

  public ReproSpec withShrink(Shrink newShrink) {
    return new ReproSpec(
        incident,
        build,
        start,
        ready,
        run,
        match,
        input,
        schedule,
        timeout,
        buildTimeout,
        test,
        repeat,
        newShrink,
        testFile,
        captureQuery,
        baseDir);
  }

  /**
   * {@code text} as a whole number of at least 1; anything else is a user error naming {@code
   * where} and {@code key}.
   */
  public static int parsePositiveInt(String text, String where, String key) {
    try {
      int n = Integer.parseInt(text);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new FixLoopException(
        FixLoopException.Kind.USER,
        where + ": '" + key + ": " + text + "' must be a whole number >= 1");
  }

  /**
   * Durations as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}).
   */
  public static Duration parseDuration(String text, String what) {
    Matcher m = SHORT_DURATION.matcher(text.strip());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
      if (!d.isZero()) {
        return d;
      }
    } else {
      try {
        Duration d = Duration.parse(text.strip());
        if (!d.isNegative() && !d.isZero()) {
          return d;
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    throw new FixLoopException(
        FixLoopException.Kind.USER,
        what + ": '" + text + "' is not a positive duration (e.g. 30s)");
  }

  private record Values(Map<String, String> values, String where) {
    Optional<String> optional(String key) {
      String value = values.get(key);
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    Pattern regex(String key, String text) {
      try {
        return Pattern.compile(text);
      } catch (PatternSyntaxException e) {
        throw new FixLoopException(
            FixLoopException.Kind.USER,
            where + ": '" + key + ":' is not a regex: " + e.getDescription());
      }
    }

    Duration duration(String key, Duration fallback) {
      return optional(key).map(t -> parseDuration(t, where + " '" + key + ":'")).orElse(fallback);
    }

    int positiveInt(String key, int fallback) {
      return optional(key).map(t -> parsePositiveInt(t, where, key)).orElse(fallback);
    }

    Shrink shrink() {
      int budget = optional("shrink-budget").isPresent() ? positiveInt("shrink-budget", 100) : 100;
      String text = optional("shrink").orElse("all");
      return switch (text) {
        case "none" -> Shrink.NONE;
        case "all" -> new Shrink(true, List.of(), budget);
        default ->
            new Shrink(
                false,
                java.util.Arrays.stream(text.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList(),
                budget);
      };
    }
  }
}

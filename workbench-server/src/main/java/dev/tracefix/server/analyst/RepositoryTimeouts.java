package dev.tracefix.server.analyst;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Timeouts configured in a target repository: lines that mention a timeout and give a duration
 * ({@code Duration.ofMillis(50)}, {@code timeout: 2s}, {@code read_timeout_ms = 300}), and, from
 * the git history, the commit that set the current value and the value before it.
 */
public final class RepositoryTimeouts {
  private static final long MAX_FILE_BYTES = 256 * 1024;
  private static final int MAX_FILES = 2000;
  private static final Pattern TIMEOUT_WORD = Pattern.compile("(?i)time\\s*out|timeout|deadline");
  private static final Pattern JAVA_DURATION =
      Pattern.compile("Duration\\.of(Millis|Seconds|Minutes)\\(\\s*(\\d+)\\s*\\)");
  private static final Pattern WITH_UNIT =
      Pattern.compile(
          "(?<![\\w.])(\\d+(?:\\.\\d+)?)\\s*(ms|millis|milliseconds|s|sec|seconds|m|min)\\b");
  private static final Pattern NAMED_UNIT =
      Pattern.compile("(?i)timeout[_-]?(ms|millis|s|sec|seconds)\\w*\\s*[:=]\\s*(\\d+)");
  private static final List<String> TEXT_FILES =
      List.of(
          ".java",
          ".kt",
          ".go",
          ".py",
          ".js",
          ".ts",
          ".rb",
          ".rs",
          ".c",
          ".h",
          ".cpp",
          ".cs",
          ".yaml",
          ".yml",
          ".json",
          ".toml",
          ".properties",
          ".conf",
          ".ini",
          ".env",
          ".xml",
          ".sh");

  /**
   * One configured timeout.
   *
   * @param file path relative to the repository
   * @param line 1-based line number at HEAD (the working tree)
   * @param text the line, trimmed
   * @param value the duration it sets
   * @param previous the value before the commit that set this one, if the history shows one
   * @param commit that commit's id, if known
   * @param subject that commit's subject line, if known
   */
  public record Timeout(
      String file,
      int line,
      String text,
      Duration value,
      Optional<Duration> previous,
      Optional<String> commit,
      Optional<String> subject) {
    public String where() {
      return file + ":" + line;
    }
  }

  private RepositoryTimeouts() {}

  /** Every timeout found in the repository's working tree, with its history where git has it. */
  public static List<Timeout> find(Path repo) {
    List<Timeout> found = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(repo)) {
      files =
          walk.filter(p -> !repo.relativize(p).toString().startsWith(".git"))
              .filter(Files::isRegularFile)
              .filter(p -> TEXT_FILES.stream().anyMatch(p.getFileName().toString()::endsWith))
              .sorted()
              .limit(MAX_FILES)
              .toList();
    } catch (IOException e) {
      return List.of();
    }
    for (Path file : files) {
      try {
        if (Files.size(file) > MAX_FILE_BYTES) {
          continue;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          String text = lines.get(i).strip();
          if (!TIMEOUT_WORD.matcher(text).find() || text.startsWith("*") || text.startsWith("//")) {
            continue;
          }
          Optional<Duration> value = duration(text);
          if (value.isPresent() && !value.get().isZero()) {
            String rel = repo.relativize(file).toString().replace('\\', '/');
            found.add(
                new Timeout(
                    rel,
                    i + 1,
                    text,
                    value.get(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()));
          }
        }
      } catch (IOException | RuntimeException e) {
        // an unreadable or binary file holds no configuration we can use
      }
    }
    return withHistory(repo, found);
  }

  /** The duration a line sets, if it gives one. */
  static Optional<Duration> duration(String line) {
    Matcher java = JAVA_DURATION.matcher(line);
    if (java.find()) {
      long n = Long.parseLong(java.group(2));
      return Optional.of(
          switch (java.group(1)) {
            case "Millis" -> Duration.ofMillis(n);
            case "Seconds" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
          });
    }
    Matcher named = NAMED_UNIT.matcher(line);
    if (named.find()) {
      long n = Long.parseLong(named.group(2));
      return Optional.of(
          named.group(1).toLowerCase(Locale.ROOT).startsWith("m")
              ? Duration.ofMillis(n)
              : Duration.ofSeconds(n));
    }
    Matcher unit = WITH_UNIT.matcher(line);
    if (unit.find()) {
      double n = Double.parseDouble(unit.group(1));
      String u = unit.group(2).toLowerCase(Locale.ROOT);
      long millis =
          u.startsWith("ms") || u.startsWith("milli")
              ? (long) n
              : u.startsWith("m") ? (long) (n * 60_000) : (long) (n * 1000);
      return Optional.of(Duration.ofMillis(millis));
    }
    return Optional.empty();
  }

  /** Adds the commit that introduced each line, and the value the line had before it. */
  private static List<Timeout> withHistory(Path repo, List<Timeout> timeouts) {
    if (timeouts.isEmpty() || !Files.exists(repo.resolve(".git"))) {
      return timeouts;
    }
    List<Timeout> out = new ArrayList<>();
    try (Git git = Git.open(repo.toFile())) {
      Repository r = git.getRepository();
      if (r.resolve("HEAD") == null) {
        return timeouts;
      }
      for (Timeout t : timeouts) {
        Timeout dated = t;
        for (RevCommit c : git.log().addPath(t.file()).setMaxCount(200).call()) {
          String now = read(r, c, t.file());
          String before =
              c.getParentCount() == 0 ? null : read(r, r.parseCommit(c.getParent(0)), t.file());
          if (now == null || !now.lines().map(String::strip).toList().contains(t.text())) {
            continue;
          }
          if (before != null && before.lines().map(String::strip).toList().contains(t.text())) {
            continue;
          }
          Optional<Duration> previous = Optional.empty();
          if (before != null) {
            String key = keyOf(t.text());
            previous =
                before
                    .lines()
                    .map(String::strip)
                    .filter(l -> !key.isEmpty() && keyOf(l).equals(key))
                    .map(RepositoryTimeouts::duration)
                    .flatMap(Optional::stream)
                    .filter(d -> !d.equals(t.value()))
                    .findFirst();
          }
          dated =
              new Timeout(
                  t.file(),
                  t.line(),
                  t.text(),
                  t.value(),
                  previous,
                  Optional.of(c.getName()),
                  Optional.of(c.getShortMessage()));
          break;
        }
        out.add(dated);
      }
      return out;
    } catch (IOException | GitAPIException | RuntimeException e) {
      return timeouts;
    }
  }

  /**
   * What a line assigns to: the text before its first digit ("... INVENTORY_TIMEOUT =
   * Duration.ofMillis(").
   */
  private static String keyOf(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (Character.isDigit(line.charAt(i))) {
        return line.substring(0, i);
      }
    }
    return "";
  }

  private static String read(Repository r, RevCommit commit, String path) throws IOException {
    try (TreeWalk walk = TreeWalk.forPath(r, path, commit.getTree())) {
      if (walk == null) {
        return null;
      }
      ObjectId blob = walk.getObjectId(0);
      return new String(r.open(blob).getBytes(), StandardCharsets.UTF_8);
    }
  }
}

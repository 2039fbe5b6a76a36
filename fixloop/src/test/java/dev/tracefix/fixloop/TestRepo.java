package dev.tracefix.fixloop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real git repository built by a test with the git command line: commits one minute apart (so
 * {@code git rev-list}'s date order is the order they were made in), branches, merges, octopus
 * merges and renames.
 */
public final class TestRepo {
  public record Result(int exitCode, String output) {}

  private final Path dir;
  private int minute;

  private TestRepo(Path dir) {
    this.dir = dir;
  }

  public static TestRepo init(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    TestRepo repo = new TestRepo(dir);
    repo.git("init", "-q", "-b", "main");
    repo.git("config", "core.autocrlf", "false");
    return repo;
  }

  public Path dir() {
    return dir;
  }

  /** Writes files ({@code null} deletes), stages everything and commits; returns the id. */
  public String commit(String message, Map<String, String> files)
      throws IOException, InterruptedException {
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path file = dir.resolve(e.getKey());
      if (e.getValue() == null) {
        Files.deleteIfExists(file);
      } else {
        Files.createDirectories(file.getParent());
        Files.writeString(file, e.getValue());
      }
    }
    git("add", "-A");
    gitDated("commit", "-q", "--allow-empty", "-m", message);
    return rev("HEAD");
  }

  public String commit(String message, String file, String content)
      throws IOException, InterruptedException {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(file, content);
    return commit(message, files);
  }

  /** Appends a line to a file and commits. */
  public String append(String message, String file, String line)
      throws IOException, InterruptedException {
    Path p = dir.resolve(file);
    String before = Files.exists(p) ? Files.readString(p) : "";
    return commit(message, file, before + line + "\n");
  }

  public String mv(String message, String from, String to)
      throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve(to).getParent());
    git("mv", from, to);
    gitDated("commit", "-q", "-m", message);
    return rev("HEAD");
  }

  /** A merge of {@code branches} into the current branch (an octopus merge for several). */
  public String merge(String message, String... branches) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("merge", "-q", "--no-ff", "-m", message));
    args.addAll(List.of(branches));
    gitDated(args.toArray(String[]::new));
    return rev("HEAD");
  }

  public void checkout(String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("checkout", "-q"));
    all.addAll(List.of(args));
    git(all.toArray(String[]::new));
  }

  public String rev(String ref) throws IOException, InterruptedException {
    return git("rev-parse", ref);
  }

  public String git(String... args) throws IOException, InterruptedException {
    Result r = run(args);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + ": " + r.output());
    }
    return r.output().strip();
  }

  private String gitDated(String... args) throws IOException, InterruptedException {
    minute++;
    String stamp = String.format("2025-01-01T%02d:%02d:00+00:00", minute / 60, minute % 60);
    Result r = run(Map.of("GIT_AUTHOR_DATE", stamp, "GIT_COMMITTER_DATE", stamp), args);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + ": " + r.output());
    }
    return r.output().strip();
  }

  public Result run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  public Result run(Map<String, String> extraEnv, String... args)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("git", "-c", "commit.gpgsign=false"));
    argv.addAll(List.of(args));
    return exec(dir, argv, extraEnv);
  }

  public static Result exec(Path dir, List<String> argv, Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("GIT_AUTHOR_NAME", "Test Author");
    env.put("GIT_AUTHOR_EMAIL", "author@example.test");
    env.put("GIT_COMMITTER_NAME", "Test Author");
    env.put("GIT_COMMITTER_EMAIL", "author@example.test");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.putAll(extraEnv);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  /** The project root (where {@code examples/} is). */
  public static Path projectRoot() {
    Path at = Path.of("").toAbsolutePath();
    while (at != null && !Files.isDirectory(at.resolve("examples/timeout-service"))) {
      at = at.getParent();
    }
    if (at == null) {
      throw new IllegalStateException(
          "examples/timeout-service not found above " + Path.of("").toAbsolutePath());
    }
    return at;
  }
}

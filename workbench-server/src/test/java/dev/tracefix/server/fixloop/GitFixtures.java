package dev.tracefix.server.fixloop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real git repositories for fix-loop tests, made with the git command line. */
public final class GitFixtures {
  private GitFixtures() {}

  /** The project root (the parent of the workbench-server module folder). */
  public static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples/timeout-service"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("examples/timeout-service not found above " + Path.of(""));
    }
    return dir;
  }

  /** Builds the timeout-service sample history at {@code dest} with its build-history.sh. */
  public static Path timeoutServiceRepo(Path dest) throws IOException, InterruptedException {
    Path script = projectRoot().resolve("examples/timeout-service/build-history.sh");
    assertEquals(0, run(dest.getParent(), List.of(script.toString(), dest.toString())).exitCode());
    return dest;
  }

  /** Builds the metrics-relay sample history (Python) at {@code dest} with its build-history.sh. */
  public static Path metricsRelayRepo(Path dest) throws IOException, InterruptedException {
    Path script = projectRoot().resolve("examples/metrics-relay/build-history.sh");
    Result built = run(dest.getParent(), List.of(script.toString(), dest.toString()));
    assertEquals(0, built.exitCode(), built.output());
    return dest;
  }

  public record Result(int exitCode, String output) {}

  public static Result run(Path dir, List<String> argv) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("GIT_AUTHOR_NAME", "Test Author");
    env.put("GIT_AUTHOR_EMAIL", "author@example.test");
    env.put("GIT_COMMITTER_NAME", "Test Author");
    env.put("GIT_COMMITTER_EMAIL", "author@example.test");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  public static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("git", "-c", "commit.gpgsign=false"));
    argv.addAll(List.of(args));
    Result result = run(dir, argv);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + ": " + result.output());
    }
    return result.output().strip();
  }

  /** What {@code git bisect start BAD GOOD; git bisect run bash -c CMD} names as first bad. */
  public static String gitBisectRun(Path repo, String bad, String good, String command)
      throws IOException, InterruptedException {
    git(repo, "bisect", "start", bad, good);
    try {
      Result run = run(repo, List.of("git", "bisect", "run", "bash", "-c", command));
      System.out.println("git bisect run said:\n" + run.output());
      return git(repo, "rev-parse", "refs/bisect/bad");
    } finally {
      git(repo, "bisect", "reset");
    }
  }
}

package dev.tracefix.fixloop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the real {@code git bisect run} says on a repository: the reference of the parity tests. */
public record GitBisectRun(
    int exitCode, String firstBad, List<String> onlySkipped, int steps, String output) {
  private static final Pattern FIRST_BAD =
      Pattern.compile("^([0-9a-f]{40}) is the first bad commit", Pattern.MULTILINE);
  private static final Pattern RUNNING = Pattern.compile("^running ", Pattern.MULTILINE);

  /** {@code git bisect start [--first-parent] BAD GOOD...; git bisect run bash -c CMD; reset}. */
  public static GitBisectRun run(
      TestRepo repo, String bad, List<String> goods, boolean firstParent, String command)
      throws IOException, InterruptedException {
    List<String> start = new ArrayList<>(List.of("bisect", "start"));
    if (firstParent) {
      start.add("--first-parent");
    }
    start.add(bad);
    start.addAll(goods);
    TestRepo.Result started = repo.run(start.toArray(String[]::new));
    try {
      TestRepo.Result run = repo.run("bisect", "run", "bash", "-c", command);
      String out = started.output() + run.output();
      Matcher m = FIRST_BAD.matcher(out);
      String firstBad = m.find() ? m.group(1) : null;
      List<String> skipped = new ArrayList<>();
      int at = out.indexOf("The first bad commit could be any of:");
      if (at >= 0) {
        for (String line : out.substring(at).lines().skip(1).toList()) {
          if (!line.matches("[0-9a-f]{40}")) {
            break;
          }
          skipped.add(line);
        }
      }
      int steps = (int) RUNNING.matcher(run.output()).results().count();
      return new GitBisectRun(run.exitCode(), firstBad, skipped, steps, out);
    } finally {
      repo.run("bisect", "reset");
    }
  }
}

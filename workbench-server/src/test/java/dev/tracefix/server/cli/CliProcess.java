package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.capture.Capture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The {@code tracefix} command line run as its own JVM (as users run it), so signals and exit codes
 * are real; stderr is read line by line while it runs.
 */
final class CliProcess implements AutoCloseable {
  private static final String EOF = "\u0000eof";

  final Process process;
  private final LinkedBlockingQueue<String> errLines = new LinkedBlockingQueue<>();
  private final List<String> errSeen = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();
  private final Thread outReader;
  private final Thread errReader;

  private CliProcess(Process process) {
    this.process = process;
    errReader =
        Thread.ofPlatform().daemon().start(() -> pump(process.getErrorStream(), errLines::add));
    outReader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () ->
                    pump(
                        process.getInputStream(),
                        line -> {
                          if (line.equals(EOF)) {
                            return;
                          }
                          synchronized (out) {
                            out.append(line).append('\n');
                          }
                        }));
  }

  /** Starts {@code tracefix ARGS...} with this test's classpath and HOME in {@code home}. */
  static CliProcess start(Path home, String... args) throws IOException {
    return startWrapped(List.of(), home, java.util.Map.of(), args);
  }

  /** {@link #start(Path, String...)} with {@code env} added to the environment (null: removed). */
  static CliProcess start(Path home, java.util.Map<String, String> env, String... args)
      throws IOException {
    return startWrapped(List.of(), home, env, args);
  }

  /**
   * Starts {@code tracefix ARGS...} under {@code wrapper} (e.g. {@code unshare --uts sh -c '...;
   * exec "$@"' sh}), which must end by executing the command it is given.
   */
  static CliProcess startWrapped(List<String> wrapper, Path home, String... args)
      throws IOException {
    return startWrapped(wrapper, home, java.util.Map.of(), args);
  }

  private static CliProcess startWrapped(
      List<String> wrapper, Path home, java.util.Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.add("--sun-misc-unsafe-memory-access=allow"); // as the launcher passes it
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.tracefix.server.cli.Main");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("HOME", home.toString());
    env.forEach(
        (k, v) -> {
          if (v == null) {
            pb.environment().remove(k); // a variable the test's own environment must not pass on
          } else {
            pb.environment().put(k, v);
          }
        });
    return new CliProcess(pb.start());
  }

  /** Skips off CI where capture cannot run; fails on CI, which must capture. */
  static void assumeKernelCapture() {
    Optional<String> reason = Capture.unavailableReason();
    if (reason.isPresent() && "true".equals(System.getenv("CI"))) {
      fail("CI=true requires eBPF capture, but: " + reason.get());
    }
    assumeTrue(reason.isEmpty(), () -> "eBPF capture unavailable: " + reason.orElse(""));
  }

  /** The first stderr line matching {@code wanted}; fails if the process ends or goes quiet. */
  String awaitErrLine(Predicate<String> wanted, String what) throws InterruptedException {
    while (true) {
      String line = errLines.poll(120, TimeUnit.SECONDS);
      if (line == null || line.equals(EOF)) {
        fail("tracefix never printed " + what + "; stderr so far: " + errSeen);
      }
      errSeen.add(line);
      if (wanted.test(line)) {
        return line;
      }
    }
  }

  /** Waits for the exit; returns the exit code. */
  int awaitExit() throws InterruptedException {
    assertTrue(process.waitFor(180, TimeUnit.SECONDS), "tracefix did not exit; stderr: " + err());
    outReader.join(10_000);
    errReader.join(10_000);
    return process.exitValue();
  }

  String out() {
    synchronized (out) {
      return out.toString();
    }
  }

  String err() {
    List<String> all = new ArrayList<>(errSeen);
    errLines.forEach(
        l -> {
          if (!l.equals(EOF)) {
            all.add(l);
          }
        });
    return String.join("\n", all);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static void pump(java.io.InputStream stream, java.util.function.Consumer<String> sink) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        sink.accept(line);
      }
    } catch (IOException ignored) {
      // The process ended.
    }
    sink.accept(EOF);
  }
}

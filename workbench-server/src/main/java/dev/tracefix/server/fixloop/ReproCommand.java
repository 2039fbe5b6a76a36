package dev.tracefix.server.fixloop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A repro command from a cell body, run with {@code bash -c} in a work tree, with tracefix's key
 * folders hidden from it ({@link KeyStoreShield}).
 *
 * <p>A run that exceeds {@code timeout} is killed (with its descendants) and reported as exit
 * code 124, as {@code timeout(1)} would: a hang counts as a failure, like under {@code git bisect
 * run timeout 30 CMD}.
 */
public record ReproCommand(String command, Duration timeout) {
  public static final int TIMED_OUT = 124;
  private static final int OUTPUT_TAIL_CHARS = 4000;

  /** The outcome of one run; {@code outputTail} is the end of stdout and stderr, interleaved. */
  public record Run(int exitCode, boolean timedOut, String outputTail) {}

  public ReproCommand {
    if (command == null || command.isBlank()) {
      throw new FixLoopException(FixLoopException.Kind.USER, "the repro command is empty");
    }
  }

  /**
   * Runs the command in {@code dir}. Non-empty {@code args} are appended to the command ({@code
   * bash -c 'CMD "$@"' tracefix ARGS...}), so CMD should then end in a simple command such as
   * {@code ./repro.sh}; {@code env} adds environment variables.
   */
  public Run run(Path dir, List<String> args, Map<String, String> env) {
    String script = args.isEmpty() ? command : command + " \"$@\"";
    List<String> argv = new ArrayList<>(List.of("bash", "-c", script, "tracefix"));
    argv.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(KeyStoreShield.wrap(argv)).directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.REPRO, "cannot start bash for the repro in " + dir, e);
    }
    OutputTail tail = new OutputTail(process.getInputStream());
    Thread reader = Thread.ofVirtual().start(tail);
    try {
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
      }
      reader.join(Duration.ofSeconds(2));
      return new Run(finished ? process.exitValue() : TIMED_OUT, !finished, tail.text());
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new FixLoopException(FixLoopException.Kind.INTERNAL, "interrupted during the repro", e);
    }
  }

  /** Keeps the last characters of a stream so a chatty repro cannot fill memory. */
  private static final class OutputTail implements Runnable {
    private final InputStream in;
    private final StringBuilder text = new StringBuilder();

    OutputTail(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          synchronized (text) {
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (text.length() > 2 * OUTPUT_TAIL_CHARS) {
              text.delete(0, text.length() - OUTPUT_TAIL_CHARS);
            }
          }
        }
      } catch (IOException e) {
        // the process was killed; what was read so far is the tail
      }
    }

    String text() {
      synchronized (text) {
        int from = Math.max(0, text.length() - OUTPUT_TAIL_CHARS);
        return text.substring(from);
      }
    }
  }
}

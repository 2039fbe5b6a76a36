package dev.tracefix.fixloop.repro;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.fixloop.FixLoopException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One shell command of a repro spec (build, start, run, test), run with {@code bash -c} in a work
 * tree, in a process group of its own, with tracefix's key folders hidden from it ({@link
 * KeyStoreShield}).
 *
 * <p>Why a process group: a repro typically starts a server, a JVM or a browser of its own, and
 * those outlive bash when it is killed or simply exits. {@code setsid} makes bash the leader of a
 * new group (it is not one already, so setsid execs in place and the group id is bash's pid); when
 * the command ends, times out or is cancelled, the whole group gets SIGKILL, so nothing it started
 * keeps a port, a file or the output pipe. A process that calls setsid itself leaves the group; the
 * descendants still known to the JDK are killed too.
 *
 * <p>A run that exceeds {@code timeout} is reported as exit code 124, as {@code timeout(1)} would:
 * a hang counts as a failure, like under {@code git bisect run timeout 30 CMD}.
 */
public record ReproCommand(String command, Duration timeout) {
  public static final int TIMED_OUT = 124;
  private static final int OUTPUT_TAIL_CHARS = 4000;
  private static final boolean HAVE_SETSID =
      Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"));

  /** The outcome of one run; {@code outputTail} is the end of stdout and stderr, interleaved. */
  public record Run(int exitCode, boolean timedOut, String outputTail, Duration elapsed) {
    public Run(int exitCode, boolean timedOut, String outputTail) {
      this(exitCode, timedOut, outputTail, Duration.ZERO);
    }
  }

  public ReproCommand {
    if (command == null || command.isBlank()) {
      throw new FixLoopException(FixLoopException.Kind.USER, "the repro command is empty");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new FixLoopException(FixLoopException.Kind.USER, "the time limit must be positive");
    }
  }

  public Run run(Path dir, List<String> args, Map<String, String> env) {
    return run(dir, args, env, new Cancellation());
  }

  /**
   * Runs the command in {@code dir} and waits for it. Non-empty {@code args} are appended to the
   * command ({@code bash -c 'CMD "$@"' tracefix ARGS...}), so CMD should then end in a simple
   * command such as {@code ./repro.sh}; {@code env} adds environment variables.
   *
   * @throws FixLoopException of kind CANCELLED when {@code cancel} fires (the group is killed)
   */
  public Run run(Path dir, List<String> args, Map<String, String> env, Cancellation cancel) {
    return run(dir, args, env, cancel, List.of());
  }

  /**
   * As above, with {@code enter} in front of the command (a capture's, {@link
   * RunCapture.Session#enter}).
   */
  public Run run(
      Path dir,
      List<String> args,
      Map<String, String> env,
      Cancellation cancel,
      List<String> enter) {
    Started started = start(dir, args, env, enter, null);
    try (Cancellation.Registration ignored = cancel.onCancel(started::kill)) {
      return started.await(timeout, cancel);
    }
  }

  /**
   * Starts the command without waiting (a target service for the repro to talk to); its output goes
   * to {@code outputLines} line by line as well as to the tail. The caller must {@link
   * Started#kill} it.
   */
  public Started start(
      Path dir,
      List<String> args,
      Map<String, String> env,
      java.util.function.Consumer<String> outputLines) {
    return start(dir, args, env, List.of(), outputLines);
  }

  /** As above, with {@code enter} (an argv prefix that execs the rest) in front of the command. */
  public Started start(
      Path dir,
      List<String> args,
      Map<String, String> env,
      List<String> enter,
      java.util.function.Consumer<String> outputLines) {
    String script = args.isEmpty() ? command : command + " \"$@\"";
    List<String> argv = new ArrayList<>(List.of("bash", "-c", script, "tracefix"));
    argv.addAll(args);
    List<String> wrapped = new ArrayList<>();
    if (HAVE_SETSID) {
      wrapped.add("setsid");
    }
    wrapped.addAll(enter);
    wrapped.addAll(KeyStoreShield.wrap(argv));
    ProcessBuilder builder = new ProcessBuilder(wrapped).directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.REPRO, "cannot start bash for '" + command + "' in " + dir, e);
    }
    OutputTail tail = new OutputTail(process.getInputStream(), outputLines);
    Thread reader = Thread.ofVirtual().start(tail);
    return new Started(process, tail, reader, System.nanoTime());
  }

  /** A running command: its process group, and what it printed so far. */
  public static final class Started {
    private final Process process;
    private final OutputTail tail;
    private final Thread reader;
    private final long startedNanos;

    private Started(Process process, OutputTail tail, Thread reader, long startedNanos) {
      this.process = process;
      this.tail = tail;
      this.reader = reader;
      this.startedNanos = startedNanos;
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    public String outputTail() {
      return tail.text();
    }

    Run await(Duration timeout, Cancellation cancel) {
      try {
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        int exit = finished ? process.exitValue() : TIMED_OUT;
        kill(); // whatever the command left running in its group
        reader.join(Duration.ofSeconds(2));
        cancel.check();
        return new Run(exit, !finished, tail.text(), elapsed);
      } catch (InterruptedException e) {
        kill();
        Thread.currentThread().interrupt();
        throw new FixLoopException(
            FixLoopException.Kind.CANCELLED, "interrupted during the repro", e);
      }
    }

    /** SIGKILL to the command's process group and to every descendant the JDK still sees. */
    public void kill() {
      long pid = process.pid();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      if (HAVE_SETSID) {
        try {
          new ProcessBuilder("kill", "-KILL", "--", "-" + pid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start()
              .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
          // kill(1) missing: the descendants above are what we can reach
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Keeps the last characters of a stream so a chatty repro cannot fill memory. */
  private static final class OutputTail implements Runnable {
    private final InputStream in;
    private final java.util.function.Consumer<String> lines;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder line = new StringBuilder();

    OutputTail(InputStream in, java.util.function.Consumer<String> lines) {
      this.in = in;
      this.lines = lines;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          String chunk = new String(buffer, 0, n, StandardCharsets.UTF_8);
          synchronized (text) {
            text.append(chunk);
            if (text.length() > 2 * OUTPUT_TAIL_CHARS) {
              text.delete(0, text.length() - OUTPUT_TAIL_CHARS);
            }
          }
          if (lines != null) {
            for (int i = 0; i < chunk.length(); i++) {
              char c = chunk.charAt(i);
              if (c == '\n') {
                lines.accept(line.toString());
                line.setLength(0);
              } else if (line.length() < 4096) {
                line.append(c);
              }
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

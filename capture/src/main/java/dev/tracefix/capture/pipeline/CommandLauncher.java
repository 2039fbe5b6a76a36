package dev.tracefix.capture.pipeline;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a command held at a gate: {@code sh} waits for one line on stdin, then execs the command
 * in the same process. The caller learns the pid, adds it to the kernel filter, and only then opens
 * the gate, so not even the command's first syscall is missed. The command's stdout and stderr are
 * inherited; its stdin is the (then closed) gate pipe.
 */
public final class CommandLauncher implements AutoCloseable {
  private final Process process;
  private final List<String> command;

  private CommandLauncher(Process process, List<String> command) {
    this.process = process;
    this.command = command;
  }

  public static CommandLauncher startHeld(List<String> command) {
    if (command.isEmpty()) {
      throw new CaptureException(Kind.USER, "no command given to trace");
    }
    List<String> argv =
        new ArrayList<>(List.of("sh", "-c", "read -r _; exec \"$@\"", "tracefix-wait"));
    argv.addAll(command);
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      return new CommandLauncher(p, List.copyOf(command));
    } catch (IOException e) {
      throw new CaptureException(
          Kind.USER, "cannot start " + command.getFirst() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the gate shell sits in its {@code read(0, ...)} (syscall 0 in {@code
   * /proc/<pid>/syscall}), so that once its pid is in the kernel filter the shell makes no traced
   * call of its own before the exec: the read began before tracing, so its exit has no enter to
   * pair with. Gives up quietly after a few seconds (the shell's one read would then be recorded
   * under the command's identity).
   */
  public void awaitGate() throws InterruptedException {
    Path syscall = Path.of("/proc", Long.toString(process.pid()), "syscall");
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (process.isAlive() && System.nanoTime() < giveUp) {
      try {
        if (Files.readString(syscall).startsWith("0 ")) {
          return;
        }
      } catch (IOException e) {
        return; // no /proc/<pid>/syscall here (kernel without CONFIG_HAVE_ARCH_TRACEHOOK)
      }
      Thread.sleep(1);
    }
  }

  /** The pid the command will have: exec keeps the shell's pid. */
  public long pid() {
    return process.pid();
  }

  /** Opens the gate: the shell execs the command. */
  public void release() {
    try (OutputStream gate = process.getOutputStream()) {
      gate.write('\n');
    } catch (IOException e) {
      throw new CaptureException(
          Kind.USER,
          "the held command "
              + command.getFirst()
              + " exited before it was released: "
              + e.getMessage(),
          e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /** Stops a command still running when capture ends (SIGTERM, then SIGKILL after 5 s). */
  public int stop() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    return process.waitFor();
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

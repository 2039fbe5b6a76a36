package dev.tracefix.server.cli;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.patch.SecretScan;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.TreeMaterializer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The command-line side of the fix loop, shared by {@code minimize}, {@code bisect}, {@code patch}
 * and {@code fix}: progress lines on stderr (secrets redacted), Ctrl-C as a cancel that kills the
 * running repro's process group before the JVM exits, a scratch folder removed at the end, and how
 * spec files and inputs are found. The notebook's counterpart is {@code fixloop.CellLoop}.
 */
final class LoopConsole implements AutoCloseable {
  private final Cancellation cancellation = new Cancellation();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;
  private final Path workDir;
  private final PrintStream err;

  private LoopConsole(String name, PrintStream err) {
    this.err = err;
    try {
      this.workDir = Files.createTempDirectory("tracefix-" + name + "-");
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.INTERNAL, "cannot create a work folder: " + e.getMessage(), e);
    }
    this.hook =
        new Thread(
            () -> {
              cancellation.cancel();
              try {
                finished.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "tracefix-" + name + "-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  static LoopConsole open(String name) {
    return new LoopConsole(name, System.err);
  }

  Control control() {
    return new Control(
        event -> err.println(SecretScan.redact(event.line())),
        cancellation,
        new dev.tracefix.server.fixloop.CapturedRuns());
  }

  Path workDir() {
    return workDir;
  }

  /** A spec file: as given, else relative to the repository. */
  static Path specFile(Path given, Path repo) {
    if (Files.isRegularFile(given)) {
      return given;
    }
    if (repo != null && !given.isAbsolute() && Files.isRegularFile(repo.resolve(given))) {
      return repo.resolve(given);
    }
    throw new FixLoopException(
        FixLoopException.Kind.USER,
        "no repro spec at " + given + (repo == null ? "" : " (nor in " + repo + ")"));
  }

  /** The input CSV: {@code --input} if given, else the spec's {@code input:} file, else none. */
  static Optional<InputTable> input(Path given, ReproSpec spec) {
    if (given != null) {
      return Optional.of(InputTable.readCsv(given));
    }
    return spec.inputFile().map(InputTable::readCsv);
  }

  /** A command line after {@code --} as one shell command, each word quoted. */
  static String shellCommand(List<String> argv) {
    StringBuilder out = new StringBuilder();
    for (String word : argv) {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(
          word.matches("[A-Za-z0-9_./=:,+@%-]+") ? word : "'" + word.replace("'", "'\\''") + "'");
    }
    return out.toString();
  }

  /** Exit code 1 with the loop's message on stderr (what every fix-loop command does on error). */
  int fail(String command, FixLoopException e) {
    err.println("tracefix " + command + ": " + SecretScan.redact(e.getMessage()));
    return 1;
  }

  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it waited for us
    }
    TreeMaterializer.deleteRecursively(workDir);
  }
}

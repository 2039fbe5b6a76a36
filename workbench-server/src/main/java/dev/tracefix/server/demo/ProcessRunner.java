package dev.tracefix.server.demo;

import dev.tracefix.server.ServerException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs a helper script of the demo and fails with its output when it fails. */
final class ProcessRunner {
  private ProcessRunner() {}

  static void runChecked(List<String> command, Path dir, PrintStream log) {
    try {
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit != 0) {
        throw new ServerException(
            ServerException.Kind.EXTERNAL,
            String.join(" ", command) + " failed with exit code " + exit + ":\n" + output);
      }
    } catch (IOException e) {
      throw new ServerException(
          ServerException.Kind.EXTERNAL,
          "cannot run " + command.getFirst() + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerException(
          ServerException.Kind.EXTERNAL, "interrupted while running " + command.getFirst(), e);
    }
  }
}

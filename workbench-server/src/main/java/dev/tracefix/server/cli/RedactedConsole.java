package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.privacy.keys.HmacKey;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A console stream whose every line passes capture's {@link TextRedactor} before it is printed:
 * while {@code tracefix report} runs a notebook, the runner prints each cell's first output line
 * and error message, which may hold what the report itself redacts. Terminals and CI logs keep
 * scrollback, so they get the same treatment as the report file.
 */
final class RedactedConsole extends OutputStream {
  private final PrintStream out;
  private final TextRedactor redactor;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  private RedactedConsole(PrintStream out, TextRedactor redactor) {
    this.out = out;
    this.redactor = redactor;
  }

  /** {@code out}, redacted line by line under {@code key}. */
  static PrintStream of(PrintStream out, HmacKey key) {
    return new PrintStream(
        new RedactedConsole(out, TextRedactor.withKey(key)), true, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      emit();
      out.print('\n');
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void flush() {
    out.flush();
  }

  @Override
  public synchronized void close() {
    emit();
    out.flush();
  }

  private void emit() {
    if (line.size() > 0) {
      out.print(redactor.redact(line.toString(StandardCharsets.UTF_8)));
      line.reset();
    }
  }
}

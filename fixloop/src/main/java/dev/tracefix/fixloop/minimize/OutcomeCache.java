package dev.tracefix.fixloop.minimize;

import dev.tracefix.fixloop.FixLoopException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Oracle outcomes kept on disk, so a minimization that was stopped (cancelled, a crash, a restart
 * of the workbench) resumes where it was: ddmin is deterministic, so a rerun asks for the same
 * candidates in the same order and gets every answer it already had from here, without a repro run.
 *
 * <p>One append-only file, one line per outcome: {@code <64 hex digits> <OUTCOME>}, the hex being a
 * hash of the candidate's content. Each line is written with one {@code write} and forced to disk
 * before the outcome is used; a torn last line (power loss mid-write) does not parse and is
 * ignored, so at worst that one candidate is run again.
 */
public final class OutcomeCache implements AutoCloseable {
  private static final Pattern LINE = Pattern.compile("[0-9a-f]{64} (FAIL|PASS|UNRESOLVED)");

  private final Path file;
  private final Map<String, Outcome> known = new ConcurrentHashMap<>();
  private final FileChannel out;
  private final int loaded;

  private OutcomeCache(Path file) {
    this.file = file;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (LINE.matcher(line).matches()) {
            known.put(line.substring(0, 64), Outcome.valueOf(line.substring(65)));
          }
        }
      }
      loaded = known.size();
      out =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.INTERNAL,
          "cannot open the outcome cache " + file + ": " + e.getMessage(),
          e);
    }
  }

  /** Opens (or creates) the cache in {@code dir}. */
  public static OutcomeCache open(Path dir) {
    return new OutcomeCache(dir.resolve("outcomes.log"));
  }

  public Path file() {
    return file;
  }

  /** Outcomes found on disk when the cache was opened. */
  public int loaded() {
    return loaded;
  }

  public Optional<Outcome> get(String key) {
    return Optional.ofNullable(known.get(key));
  }

  public void put(String key, Outcome outcome) {
    if (!key.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("cache keys are 64 hex digits: " + key);
    }
    if (known.putIfAbsent(key, outcome) != null) {
      return;
    }
    byte[] line = (key + " " + outcome.name() + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      try {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(false);
      } catch (IOException e) {
        throw new FixLoopException(
            FixLoopException.Kind.INTERNAL,
            "cannot write the outcome cache " + file + ": " + e.getMessage(),
            e);
      }
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      // nothing was buffered: every line was forced when written
    }
  }
}

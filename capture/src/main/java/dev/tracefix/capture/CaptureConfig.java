package dev.tracefix.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * What to capture and for how long.
 *
 * @param duration stop after this long (when {@code command} is given: at the latest)
 * @param pid trace only this process (and, with a command, its children); empty for all
 * @param command run this command and trace it and its children until it exits; empty for none
 * @param keyDir directory of the local HMAC key store (created 0700, key files 0600)
 * @param ringBufferBytes size of the kernel ring buffer: a power of two, at least one page (4096);
 *     0 for the default ({@link #DEFAULT_RING_BUFFER_BYTES}). A smaller ring drops sooner, never
 *     blocks the traced process.
 */
public record CaptureConfig(
    Duration duration, OptionalInt pid, List<String> command, Path keyDir, int ringBufferBytes) {
  public static final int DEFAULT_RING_BUFFER_BYTES = 16 * 1024 * 1024;

  public CaptureConfig {
    command = List.copyOf(command);
  }

  /** A capture with the default ring buffer size. */
  public CaptureConfig(Duration duration, OptionalInt pid, List<String> command, Path keyDir) {
    this(duration, pid, command, keyDir, 0);
  }

  /** The ring buffer size to load: {@code ringBufferBytes}, or the default for 0. */
  public int effectiveRingBufferBytes() {
    return ringBufferBytes == 0 ? DEFAULT_RING_BUFFER_BYTES : ringBufferBytes;
  }
}

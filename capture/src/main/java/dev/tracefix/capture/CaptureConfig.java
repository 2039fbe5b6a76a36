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
 */
public record CaptureConfig(
    Duration duration, OptionalInt pid, List<String> command, Path keyDir) {
  public CaptureConfig {
    command = List.copyOf(command);
  }
}

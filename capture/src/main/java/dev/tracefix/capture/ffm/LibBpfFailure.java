package dev.tracefix.capture.ffm;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import dev.tracefix.capture.ffm.BpfSession.Stage;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a failed libbpf call reads: one message shape for the lifecycle ({@link BpfSession}) and the
 * map access ({@link BpfMaps}) of an object, naming the stage, the object file, the call, the errno
 * and libbpf's log (which holds the verifier log when load fails).
 */
final class LibBpfFailure {
  private LibBpfFailure() {}

  /** A libbpf call of {@code stage} returned {@code err} (a negative or positive errno). */
  static CaptureException failure(Stage stage, Path file, String call, int err) {
    String log = LibBpfLog.drain().strip();
    String message =
        "libbpf "
            + stage.name().toLowerCase()
            + " of "
            + file
            + " failed in "
            + call
            + ": "
            + LibBpf.strerror(err)
            + " (errno "
            + Math.abs(err)
            + ")"
            + (log.isEmpty() ? "" : "\nlibbpf log:\n" + log);
    return new CaptureException(Kind.LIBBPF, message);
  }

  /**
   * A program of {@code section} failed to attach with {@code err}; for a missing tracepoint, the
   * reason and where to look come first.
   */
  static CaptureException attachFailure(Path file, String section, int err) {
    CaptureException failure =
        failure(Stage.ATTACH, file, "bpf_program__attach(" + section + ")", err);
    return missingTracepoint(section, err)
        .map(hint -> new CaptureException(Kind.LIBBPF, hint + "\n" + failure.getMessage()))
        .orElse(failure);
  }

  /**
   * For a tracepoint program whose attach failed with ENOENT: the tracepoint is not in this
   * kernel's tracefs (renamed, or its subsystem is not built in), said first with where to look.
   */
  static Optional<String> missingTracepoint(String section, int err) {
    String prefix = "tracepoint/";
    if (!section.startsWith(prefix) || Math.abs(err) != 2) {
      return Optional.empty();
    }
    String name = section.substring(prefix.length());
    String category = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
    return Optional.of(
        "tracepoint "
            + name
            + " does not exist on this kernel: list the ones it has with 'ls /sys/kernel/tracing/"
            + "events/"
            + category
            + "/' (tracefs mounted), and use a tracefix built for this kernel");
  }

  /** A native call of {@code stage} threw: a bug in tracefix's bindings, not in the object. */
  static CaptureException internal(Stage stage, Throwable t) {
    return new CaptureException(
        Kind.INTERNAL, "native call failed in stage " + stage + ": " + t, t);
  }
}

package dev.tracefix.fixloop.repro;

import dev.tracefix.fixloop.FixLoopException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A capture of one repro run, for a spec's {@code capture-query:} predicate: the run fails when a
 * SQL query over what the run's processes did returns a row. The loop only asks for it; a front end
 * that has the capture (root, eBPF) supplies it through {@link dev.tracefix.fixloop.Control}.
 */
public interface RunCapture {
  /** No capture: a spec with {@code capture-query:} is refused with this reason. */
  RunCapture NONE =
      scratch -> {
        throw new FixLoopException(
            FixLoopException.Kind.USER,
            "'capture-query:' needs a capture of the run, which this front end does not offer");
      };

  /** Starts a capture for one run; returns once it records. */
  Session begin(Path scratch);

  /** One run's capture; closing it removes whatever it made. */
  interface Session extends AutoCloseable {
    /**
     * An argv prefix that puts a command, and every process it starts, in this capture; the harness
     * puts it in front of the target's and the run's commands.
     */
    List<String> enter();

    /**
     * Stops the capture, stores it, and runs {@code sql} read-only over it: the first row (as text)
     * when the query returned any, else empty.
     *
     * @throws FixLoopException REPRO when the capture failed or the query is wrong
     */
    Optional<String> stopAndQuery(String sql, Duration timeout);

    @Override
    void close();
  }
}

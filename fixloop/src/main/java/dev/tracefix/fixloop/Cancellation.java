package dev.tracefix.fixloop;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A request to stop a running step, shared between the step and whoever may stop it (the CLI's
 * Ctrl-C hook, the notebook's interrupt). Steps check it between repro runs; a running repro
 * registers a hook that kills its process group, so a cancel never waits for a slow command.
 */
public final class Cancellation {
  /** Undoes an {@link #onCancel} registration once the guarded work is over. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private final Set<Runnable> hooks = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  public void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    for (Runnable hook : hooks) {
      hook.run();
    }
  }

  public boolean isCancelled() {
    return cancelled;
  }

  /** Throws {@link FixLoopException.Kind#CANCELLED} once cancelled. */
  public void check() {
    if (cancelled) {
      throw new FixLoopException(
          FixLoopException.Kind.CANCELLED, "stopped on request; the commands it ran were killed");
    }
  }

  /** Runs {@code hook} on cancel (at once if already cancelled) until the registration closes. */
  public Registration onCancel(Runnable hook) {
    hooks.add(hook);
    if (cancelled) {
      hook.run();
    }
    return () -> hooks.remove(hook);
  }
}

package dev.tracefix.server.kernel.sql;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Cancels statements that outlive their time; one daemon thread serves every notebook. */
final class Watchdog {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tracefix-sql-timeout");
            t.setDaemon(true);
            return t;
          });

  private Watchdog() {}

  static ScheduledFuture<?> after(Duration delay, Runnable action) {
    return TIMER.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
  }
}

package dev.tracefix.server.run;

import java.time.Duration;

/**
 * Limits for the kernels of every session.
 *
 * @param sqlTimeout a SQL statement is cancelled after this long
 * @param javaTimeout a Java cell's snippets are stopped after this long
 * @param maxDisplayedRows rows kept in a table output (totalRows still counts all)
 */
public record KernelSettings(Duration sqlTimeout, Duration javaTimeout, int maxDisplayedRows) {
  public static final KernelSettings DEFAULTS =
      new KernelSettings(Duration.ofMinutes(2), Duration.ofSeconds(60), 1000);
}

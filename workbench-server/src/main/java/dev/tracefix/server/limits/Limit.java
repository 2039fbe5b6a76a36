package dev.tracefix.server.limits;

import java.util.Optional;

/**
 * What a notebook may use, one value each. Cell limits ({@link #perCell()}) are set on a cell's
 * fence ({@code ```sql timeout=30s max_rows=100000}), in the notebook's front matter ({@code
 * limits:}) and as a server default; notebook limits configure what a notebook's session owns (its
 * DuckDB database, its Java VM) and are set in the front matter or as a server default only.
 */
public enum Limit {
  TIMEOUT("timeout", true, "wall time of one cell"),
  MAX_ROWS("max_rows", true, "rows one result may hold (a Java cell's sql() is cut there)"),
  MAX_BYTES("max_bytes", true, "bytes the notebook's DuckDB may hold for one result"),
  MEMORY("memory", false, "memory_limit of the notebook's own DuckDB database"),
  THREADS("threads", false, "threads of the notebook's own DuckDB database"),
  JAVA_HEAP("java_heap", false, "heap of the notebook's Java VM (-Xmx)"),
  JAVA_CPU("java_cpu", false, "CPUs the notebook's Java VM may use (a cgroup's CPU quota)");

  private final String key;
  private final boolean perCell;
  private final String meaning;

  Limit(String key, boolean perCell, String meaning) {
    this.key = key;
    this.perCell = perCell;
    this.meaning = meaning;
  }

  /** The word written in front matter, on fences and on the command line, e.g. {@code max_rows}. */
  public String key() {
    return key;
  }

  /** Whether a cell's fence may set it; the others are the notebook's. */
  public boolean perCell() {
    return perCell;
  }

  /** One phrase saying what it bounds. */
  public String meaning() {
    return meaning;
  }

  public static Optional<Limit> ofKey(String key) {
    for (Limit limit : values()) {
      if (limit.key.equals(key)) {
        return Optional.of(limit);
      }
    }
    return Optional.empty();
  }
}

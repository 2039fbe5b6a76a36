package dev.tracefix.server.kernel.java;

import dev.tracefix.server.message.CellOutput;

/**
 * What Java snippets may ask the host for. Rows never cross whole: a query's rows (or a named
 * result's) stay in the notebook's DuckDB and the snippet pages through them.
 */
public interface HostData {
  /** Runs {@code query} and keeps its rows for paging; returns the first page. */
  HostTable sql(String query) throws Exception;

  /** The named result {@code name}; its first page. */
  HostTable result(String name) throws Exception;

  /** Rows {@code offset ..} of a table an earlier call kept ({@link HostTable#handle()}). */
  HostTable page(String handle, long offset, int limit) throws Exception;

  /**
   * A kept table as the output of the running cell ({@code show(sql(...))}): its first page and its
   * size; the cell's result pages from that table afterwards.
   */
  CellOutput.Table show(String handle) throws Exception;
}

package dev.tracefix.server.kernel.java;

import java.util.List;

/**
 * A page of rows as a snippet receives it.
 *
 * @param handle names the kept table for later pages; null when {@code rows} are all there is
 * @param columns column names
 * @param rows rows {@code offset .. offset + rows.size()}
 * @param size rows the table holds (at most the cap)
 * @param truncated whether the query had more rows than the cap and was cut there
 * @param note what the cell's output should say about it (the cap that cut it), or null
 */
public record HostTable(
    String handle,
    List<String> columns,
    List<List<Object>> rows,
    long offset,
    long size,
    boolean truncated,
    String note) {}

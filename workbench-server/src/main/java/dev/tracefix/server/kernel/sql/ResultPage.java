package dev.tracefix.server.kernel.sql;

import java.util.List;

/**
 * Rows {@code offset .. offset + rows.size()} of a result kept in DuckDB, sorted as asked. A page
 * may hold fewer rows than asked for when they would pass {@link ResultPages#PAGE_BYTES}; the next
 * page starts at {@code offset + rows.size()}.
 *
 * @param totalRows rows the whole result holds
 */
public record ResultPage(
    List<String> columns, List<List<Object>> rows, long offset, long totalRows) {
  public ResultPage {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }
}

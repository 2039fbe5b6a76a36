package dev.tracefix.server.cli;

/** How {@code tracefix sql} prints a result set. */
enum ResultFormat {
  table,
  csv,
  json
}

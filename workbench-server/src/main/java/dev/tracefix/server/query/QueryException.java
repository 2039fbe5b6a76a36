package dev.tracefix.server.query;

/** A saved query that cannot run as asked: the message names the query and what to change. */
public final class QueryException extends RuntimeException {
  public QueryException(String message) {
    super(message);
  }
}

package dev.tracefix.server.metrics;

import dev.tracefix.server.ServerException;

/**
 * Where {@code /metrics} listens: {@code PORT} (on 127.0.0.1) or {@code HOST:PORT}; port 0 picks a
 * free one.
 */
public record MetricsAddress(String host, int port) {
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Parses {@code [HOST:]PORT}; an IPv6 host is written in brackets, e.g. {@code [::1]:9464}. */
  public static MetricsAddress parse(String text) {
    String value = text.strip();
    int colon = value.lastIndexOf(':');
    String host = colon < 0 ? DEFAULT_HOST : value.substring(0, colon);
    String port = colon < 0 ? value : value.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = DEFAULT_HOST;
    }
    int number;
    try {
      number = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "--metrics wants [HOST:]PORT, e.g. 9464 or 0.0.0.0:9464, got '" + text + "'",
          e);
    }
    if (number < 0 || number > 65535) {
      throw new ServerException(
          ServerException.Kind.INVALID, "--metrics port must be 0 to 65535, got " + number, null);
    }
    return new MetricsAddress(host, number);
  }
}

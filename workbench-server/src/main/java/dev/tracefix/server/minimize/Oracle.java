package dev.tracefix.server.minimize;

import java.util.List;

/** Judges a candidate input; must be safe to call from several threads if used in parallel. */
@FunctionalInterface
public interface Oracle<T> {
  Outcome test(List<T> candidate);
}

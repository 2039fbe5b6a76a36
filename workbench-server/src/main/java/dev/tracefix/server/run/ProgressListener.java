package dev.tracefix.server.run;

/** Receives the progress lines that running cells report through {@link CellContext#progress}. */
@FunctionalInterface
public interface ProgressListener {
  void progress(String notebook, String cellId, String line);
}

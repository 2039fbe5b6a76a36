package dev.tracefix.fixloop.patch;

import java.util.List;

/**
 * A patch a strategy proposes: file edits on top of the bad commit, a one-line summary for the
 * report and the commit message, and what the strategy did to get there.
 */
public record Candidate(String strategy, String summary, List<FileEdit> edits, List<String> log) {
  public Candidate {
    edits = List.copyOf(edits);
    log = List.copyOf(log);
  }
}

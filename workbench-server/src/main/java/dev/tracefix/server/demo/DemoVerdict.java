package dev.tracefix.server.demo;

import dev.tracefix.server.message.CellOutput;
import java.util.List;

/**
 * What {@code tracefix demo --check} reports: did the loop close from captured events to a patch
 * that makes the repro pass?
 */
public record DemoVerdict(
    long events,
    long drops,
    String culprit,
    String culpritSubject,
    boolean patchPasses,
    List<String> failedCells) {

  /** The loop closed: every cell ran, bisect named a commit and the patch makes the repro pass. */
  public boolean closed() {
    return failedCells.isEmpty() && culprit != null && patchPasses;
  }

  public String summaryLine() {
    String culpritText =
        culprit == null ? "no culprit" : culprit.substring(0, 12) + " \"" + culpritSubject + "\"";
    return String.format(
        "demo %s: %d events captured, %d drops, culprit %s, patch %s%s",
        closed() ? "ok" : "FAILED",
        events,
        drops,
        culpritText,
        patchPasses ? "makes the repro pass" : "does not make the repro pass",
        failedCells.isEmpty() ? "" : ", failed cells: " + String.join(", ", failedCells));
  }

  /** Reads the verdict off the outputs of a notebook run. */
  public static DemoVerdict from(long events, long drops, List<NamedOutput> outputs) {
    String culprit = null;
    String subject = null;
    boolean patchPasses = false;
    List<String> failed = new java.util.ArrayList<>();
    for (NamedOutput named : outputs) {
      switch (named.output()) {
        case CellOutput.Bisected b -> {
          culprit = b.culprit();
          subject = b.subject();
        }
        case CellOutput.Patched p -> patchPasses = p.reproPasses() && p.reviewPassed();
        case CellOutput.Error e -> failed.add(named.cellId() + " (" + e.message() + ")");
        default -> {}
      }
    }
    return new DemoVerdict(events, drops, culprit, subject, patchPasses, List.copyOf(failed));
  }

  public record NamedOutput(String cellId, CellOutput output) {}
}

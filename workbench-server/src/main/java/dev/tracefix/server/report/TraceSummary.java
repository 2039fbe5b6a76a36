package dev.tracefix.server.report;

import dev.tracefix.server.report.ReportPart.Line;
import java.util.ArrayList;
import java.util.List;

/** What was captured: one row per capture (time range, events, drops, probes) and the totals. */
final class TraceSummary {
  private TraceSummary() {}

  static List<ReportPart> parts(List<CaptureFacts> captures) {
    if (captures.isEmpty()) {
      return List.of(new Line("The store holds no captures."));
    }
    List<List<Object>> rows = new ArrayList<>();
    long events = 0;
    long drops = 0;
    for (CaptureFacts c : captures) {
      rows.add(
          java.util.Arrays.asList(
              c.captureId(),
              c.host(),
              c.startedAt(),
              c.endedAt(),
              c.eventCount(),
              c.dropCount(),
              c.probes().isEmpty() ? "not recorded" : String.join(", ", c.probes())));
      events += c.eventCount();
      drops += c.dropCount();
    }
    String first = captures.getFirst().startedAt();
    String last = captures.getLast().endedAt();
    String dropShare =
        events + drops == 0
            ? ""
            : String.format(
                " (%.2f%% of what the probes produced)", 100.0 * drops / (events + drops));
    return List.of(
        new Line(
            captures.size()
                + (captures.size() == 1 ? " capture" : " captures")
                + " from "
                + first
                + " to "
                + last
                + ": "
                + events
                + " events stored, "
                + drops
                + " dropped in the kernel"
                + dropShare
                + "."),
        ReportBuilder.table(
            List.of("capture", "host", "started", "ended", "events", "drops", "probes"),
            rows,
            rows.size()));
  }
}

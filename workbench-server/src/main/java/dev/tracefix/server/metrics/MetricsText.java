package dev.tracefix.server.metrics;

import dev.tracefix.capture.LiveStats;
import dev.tracefix.capture.TypeStats;
import dev.tracefix.server.run.WorkspaceStats;
import dev.tracefix.sink.CaptureWriter;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Renders a capture's {@link LiveStats} in the Prometheus text exposition format, version 0.0.4:
 * per metric one {@code # HELP} and one {@code # TYPE} line, then its samples, each line ending in
 * {@code \n}.
 */
public final class MetricsText {
  /** The Content-Type of a response in this format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsText() {}

  /** The exposition of {@code stats}, or of a capture that has not taken a snapshot yet (null). */
  public static String render(LiveStats stats) {
    return render(stats, null);
  }

  /**
   * The exposition of {@code stats} and of the spool's health ({@code spool}, null before the first
   * snapshot: rendered as no failures).
   */
  public static String render(LiveStats stats, CaptureWriter.SpoolHealth spool) {
    StringBuilder out = new StringBuilder();
    single(
        out,
        "tracefix_spool_failed_events_total",
        "counter",
        "Events lost because writing them to the spool failed (e.g. no space left on the device).",
        spool == null ? "0" : Long.toString(spool.eventsLost()));
    single(
        out,
        "tracefix_spool_failing",
        "gauge",
        "1 while the latest spool write failed (e.g. the disk is full now), 0 once one succeeds.",
        spool != null && spool.failing() ? "1" : "0");
    single(
        out,
        "tracefix_agent_buffered_bytes",
        "gauge",
        "Arrow memory (off the Java heap) holding events on their way to the spool and DuckDB.",
        spool == null ? "0" : Long.toString(spool.bufferedBytes()));
    single(
        out,
        "tracefix_store_memory_bytes",
        "gauge",
        "Memory DuckDB's buffer manager holds for the capture's store (duckdb_memory()).",
        spool == null ? "0" : Long.toString(Math.max(0, spool.storeMemoryBytes())));
    List<TypeStats> types = stats == null ? List.of() : stats.types();
    perType(
        out,
        "tracefix_events_produced_total",
        "Records the kernel probes tried to put into the ring buffer, by record type.",
        types,
        TypeStats::produced);
    perType(
        out,
        "tracefix_events_stored_total",
        "Records the capture read from the ring buffer, by record type.",
        types,
        TypeStats::stored);
    perType(
        out,
        "tracefix_events_dropped_total",
        "Records lost because the ring buffer was full, by record type.",
        types,
        TypeStats::dropped);
    perType(
        out,
        "tracefix_stack_failures_total",
        "Records that asked for a stack and went without one (stack map full), by record type.",
        types,
        TypeStats::stackFailures);
    single(
        out,
        "tracefix_events_delivered_total",
        "counter",
        "Redacted events delivered to the event store.",
        stats == null ? "0" : Long.toString(stats.delivered()));
    single(
        out,
        "tracefix_agent_cpu_seconds_total",
        "counter",
        "User and system CPU time of the capturing process.",
        stats == null ? "0" : number(stats.cpuSeconds()));
    single(
        out,
        "tracefix_agent_resident_bytes",
        "gauge",
        "Resident memory (VmRSS) of the capturing process.",
        stats == null ? "0" : Long.toString(stats.residentBytes()));
    single(
        out,
        "tracefix_agent_heap_used_bytes",
        "gauge",
        "Java heap in use by the capturing process.",
        stats == null ? "0" : Long.toString(stats.heapUsedBytes()));
    single(
        out,
        "tracefix_capture_running",
        "gauge",
        "1 while probes are attached, 0 once they are detached.",
        stats == null || stats.running() ? "1" : "0");
    return out.toString();
  }

  /**
   * The workbench server's own load: its heap and threads, and its workspace's sessions, running
   * cells and snippet VMs ({@code GET /api/metrics}).
   */
  public static String renderWorkbench(WorkspaceStats stats, MemoryUsage heap, int threads) {
    StringBuilder out = new StringBuilder();
    single(
        out,
        "tracefix_workbench_heap_used_bytes",
        "gauge",
        "Java heap in use by the workbench server.",
        Long.toString(heap.getUsed()));
    single(
        out,
        "tracefix_workbench_heap_max_bytes",
        "gauge",
        "The workbench server's maximum Java heap (-Xmx).",
        Long.toString(heap.getMax()));
    single(
        out,
        "tracefix_workbench_threads",
        "gauge",
        "Live threads of the workbench server.",
        Integer.toString(threads));
    single(
        out,
        "tracefix_workbench_sessions_open",
        "gauge",
        "Notebooks with a session (their kernels) in the server.",
        Integer.toString(stats.openSessions()));
    single(
        out,
        "tracefix_workbench_cells_running",
        "gauge",
        "Cells running now.",
        Integer.toString(stats.runningCells()));
    single(
        out,
        "tracefix_workbench_java_vms",
        "gauge",
        "Snippet VMs (child JVMs of the server) alive now.",
        Integer.toString(stats.javaVms()));
    single(
        out,
        "tracefix_workbench_notebook_databases",
        "gauge",
        "Notebook DuckDB databases open now.",
        Integer.toString(stats.notebookDatabases()));
    single(
        out,
        "tracefix_workbench_cells_run_total",
        "counter",
        "Cells run since the server started.",
        Long.toString(stats.cellsRun()));
    single(
        out,
        "tracefix_workbench_limit_errors_total",
        "counter",
        "Cells that hit a limit since the server started.",
        Long.toString(stats.limitErrors()));
    single(
        out,
        "tracefix_workbench_kernel_restarts_total",
        "counter",
        "Snippet VMs that ended or were killed under a cell since the server started.",
        Long.toString(stats.kernelRestarts()));
    return out.toString();
  }

  /** A label value escaped as the format requires: backslash, double quote and line feed. */
  static String escapeLabelValue(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** HELP text escaped as the format requires: backslash and line feed. */
  static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static void perType(
      StringBuilder out,
      String name,
      String help,
      List<TypeStats> types,
      ToLongFunction<TypeStats> value) {
    header(out, name, "counter", help);
    for (TypeStats t : types) {
      out.append(name)
          .append("{type=\"")
          .append(escapeLabelValue(t.type()))
          .append("\"} ")
          .append(value.applyAsLong(t))
          .append('\n');
    }
  }

  private static void single(
      StringBuilder out, String name, String type, String help, String value) {
    header(out, name, type, help);
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }
}

package dev.tracefix.bench.capture;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.ProbeGroup;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.StatsConfig;
import dev.tracefix.capture.SyscallStat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Runs a workload once (bench/capture/echo.c, the worst case, or reqresp.c, a request/response
 * server doing some work per request), either plain ({@code off}) or traced by a full capture with
 * redaction and a sink that only counts, so a script can compare requests/s with capture off and
 * on, per probe group, in one run. Modes:
 *
 * <ul>
 *   <li>{@code default}: default mode ({@link ProbeGroup#DEFAULT}: syscalls aggregated in the
 *       kernel, failures and slow calls streamed, TCP and process events)
 *   <li>{@code full}, {@code on}: every streaming group ({@code --probes full}), default syscall
 *       set
 *   <li>{@code on-net}: every group but raw_syscalls (empty syscall set)
 *   <li>{@code duty}: default mode with every call streamed 100 ms in every 2 s (1 in 20)
 *   <li>{@code stats}, {@code socket}, {@code syscalls}, {@code tcp}, {@code process}: that probe
 *       group alone
 *   <li>{@code sample10}, {@code sample100}: every group, 1 in 10 (100) syscall records kept
 * </ul>
 *
 * <pre>OverheadBench MODE WORKLOAD [WORKLOAD ARGS...]</pre>
 *
 * The workload prints its own requests/s; with capture on, one more line summarises the capture.
 * With {@code -Dtracefix.bench.probes=FILE} the probes the capture attached are written there, one
 * per line (the floor of the mode attaches count-only programs to exactly those).
 */
public final class OverheadBench {
  private OverheadBench() {}

  /** Counts what capture delivers and nothing else, so the sink costs next to nothing. */
  private static final class CountingSink implements SafeEventSink {
    long processes;
    long events;
    long aggregates;

    @Override
    public void onSyscallStats(List<SyscallStat> rows) {
      aggregates += rows.size();
    }

    @Override
    public void onProcess(SafeProcess process) {
      processes++;
    }

    @Override
    public void onEvents(List<SafeEvent> batch) {
      events += batch.size();
    }
  }

  private static CaptureConfig config(String mode, List<String> command, Path keys) {
    Set<String> syscalls = mode.equals("on-net") ? Set.of() : CaptureConfig.DEFAULT_SYSCALLS;
    Map<String, Integer> sampling =
        switch (mode) {
          case "sample10" -> Map.of("syscall", 10);
          case "sample100" -> Map.of("syscall", 100);
          default -> Map.of();
        };
    Set<ProbeGroup> groups =
        switch (mode) {
          case "on", "full", "on-net", "sample10", "sample100" -> ProbeGroup.ALL;
          case "default", "duty" -> ProbeGroup.DEFAULT;
          default -> Set.of(ProbeGroup.parse(mode));
        };
    return new CaptureConfig(
            Duration.ofMinutes(10), OptionalInt.empty(), command, keys, 0, syscalls, List.of())
        .withFilters(List.of(), sampling, groups)
        // duty: 1 in 20 of the time fully streamed (100 ms of every 2 s, so a 3 s run has one)
        .withStats(
            mode.equals("duty")
                ? StatsConfig.DEFAULT.withFullDuty("100ms/2s")
                : StatsConfig.DEFAULT);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: OverheadBench off|default|duty|full|on|on-net|stats|socket|syscalls|tcp|process"
              + "|sample10|sample100"
              + " WORKLOAD [ARGS...]");
      System.exit(64);
    }
    List<String> command = List.of(args).subList(1, args.length);
    if (args[0].equals("off")) {
      Process p = new ProcessBuilder(command).inheritIO().start();
      System.exit(p.waitFor());
    }
    Path keys = Files.createTempDirectory("tracefix-bench-keys");
    CountingSink sink = new CountingSink();
    CaptureSummary summary = Capture.run(config(args[0], command, keys), sink);
    String probesFile = System.getProperty("tracefix.bench.probes");
    if (probesFile != null) {
      Files.write(Path.of(probesFile), summary.probes());
    }
    System.out.printf(
        "capture events=%d aggregates=%d processes=%d drops=%d exit=%d probes=%d stats=%s%n",
        sink.events,
        sink.aggregates,
        sink.processes,
        summary.dropCount(),
        summary.commandExitCode(),
        summary.probes().size(),
        summary.stats());
    System.exit(summary.commandExitCode());
  }
}

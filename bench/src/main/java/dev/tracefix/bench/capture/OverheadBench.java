package dev.tracefix.bench.capture;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Runs the echo workload (bench/capture/echo.c) once, either plain ({@code off}) or traced by a
 * full capture with redaction and a sink that only counts: {@code on} with the default syscall set
 * (every probe), {@code on-net} without syscalls (the raw_syscalls probes not attached), so a
 * script can compare requests/s with capture off and on, per probe group, in one run.
 *
 * <pre>OverheadBench off|on|on-net ECHO SECONDS CONNS</pre>
 *
 * The workload prints its own requests/s; with capture on, one more line summarises the capture.
 */
public final class OverheadBench {
  private OverheadBench() {}

  /** Counts what capture delivers and nothing else, so the sink costs next to nothing. */
  private static final class CountingSink implements SafeEventSink {
    long processes;
    long events;

    @Override
    public void onProcess(SafeProcess process) {
      processes++;
    }

    @Override
    public void onEvents(List<SafeEvent> batch) {
      events += batch.size();
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: OverheadBench off|on|on-net ECHO SECONDS CONNS");
      System.exit(64);
    }
    List<String> command = List.of(args[1], args[2], args[3]);
    if (args[0].equals("off")) {
      Process p = new ProcessBuilder(command).inheritIO().start();
      System.exit(p.waitFor());
    }
    Path keys = Files.createTempDirectory("tracefix-bench-keys");
    CountingSink sink = new CountingSink();
    CaptureSummary summary =
        Capture.run(
            new CaptureConfig(
                Duration.ofMinutes(10),
                OptionalInt.empty(),
                command,
                keys,
                0,
                args[0].equals("on-net") ? Set.of() : CaptureConfig.DEFAULT_SYSCALLS),
            sink);
    System.out.printf(
        "capture events=%d processes=%d drops=%d exit=%d stats=%s%n",
        sink.events,
        sink.processes,
        summary.dropCount(),
        summary.commandExitCode(),
        summary.stats());
    System.exit(summary.commandExitCode());
  }
}

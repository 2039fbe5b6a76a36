package dev.tracefix.server.cli;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.ProbeGroup;
import dev.tracefix.capture.UprobeTarget;
import dev.tracefix.server.capture.CaptureRecorder;
import dev.tracefix.sink.EventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "capture",
    mixinStandardHelpOptions = true,
    description = {
      "Capture redacted sendto and TCP retransmit events into a DuckDB file.",
      "With '-- COMMAND ARGS...' the command is started and traced with its children until it"
          + " exits. Needs root (CAP_BPF and CAP_PERFMON)."
    })
final class CaptureCommand implements Callable<Integer> {
  @Option(
      names = "--db",
      required = true,
      description = "DuckDB file to write (created if missing)")
  Path db;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      description = "how long to capture; with a command, the longest (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--pid", description = "trace only this process and its children")
  Integer pid;

  @Option(
      names = "--keys",
      description = "key store folder for HMAC keys (default: ~/.tracefix/keys)")
  Path keys;

  @Option(
      names = "--uprobe",
      paramLabel = "BINARY:SYMBOL",
      description =
          "time every call of a function, e.g. /usr/lib/x86_64-linux-gnu/libc.so.6:getaddrinfo"
              + " (repeatable; executables, PIE and shared libraries; list symbols with nm -D)")
  List<String> uprobes = new ArrayList<>();

  @Option(
      names = "--cgroup",
      paramLabel = "PATH",
      description =
          "trace only tasks in this cgroup v2 directory and the cgroups below it at the start, as"
              + " /proc/PID/cgroup shows it on its '0::' line (e.g. /system.slice/nginx.service) or"
              + " as a path under the cgroup2 mount (repeatable: a task in any of them). With --pid"
              + " or a command, a task must pass both: in one of the cgroups AND in the traced"
              + " process set")
  List<String> cgroups = new ArrayList<>();

  @Option(
      names = "--sample",
      paramLabel = "TYPE=N",
      description =
          "record only 1 in N events of a type, decided in the kernel (e.g. syscall=10;"
              + " repeatable; types: syscall, socket_write, sendto, tcp_state, tcp_retransmit,"
              + " tcp_reset_sent, tcp_reset_received, exec, exit, uprobe). Skipped events are"
              + " counted per type as sampled_out in capture_stats, apart from produced ="
              + " stored + dropped")
  Map<String, Integer> sampling = new LinkedHashMap<>();

  @Option(
      names = "--probes",
      paramLabel = "GROUP",
      split = ",",
      description =
          "attach only these probe groups: socket (sendto/write/writev on sockets), syscalls"
              + " (raw_syscalls for the default set), tcp (state changes, resets, retransmits),"
              + " process (exec/exit); default: all")
  List<String> probes = new ArrayList<>();

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "command to run and trace")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() {
    CaptureConfig config =
        new CaptureConfig(
            duration,
            pid == null ? OptionalInt.empty() : OptionalInt.of(pid),
            command,
            keys == null ? KeyStoreLocation.defaultDir() : keys,
            0,
            CaptureConfig.DEFAULT_SYSCALLS,
            uprobes.stream().map(UprobeTarget::parse).toList(),
            cgroups,
            sampling,
            probes.isEmpty()
                ? ProbeGroup.ALL
                : probes.stream().map(ProbeGroup::parse).collect(Collectors.toSet()));
    // The command line is not logged: its arguments and paths may hold secrets.
    System.err.printf(
        "tracefix capture: capturing %s into %s...%n",
        command.isEmpty()
            ? "for " + duration.toSeconds() + "s"
            : "a command with " + (command.size() - 1) + " arguments (not logged)",
        db);
    Capture.requireAvailable(); // before the database file is created
    CaptureSummary summary;
    try (EventStore store = Stores.open(db)) {
      summary = CaptureRecorder.record(config, store);
    }
    System.out.printf(
        "capture %s: %d events, %d drops, key %s, stored in %s%n",
        summary.captureId(), summary.eventCount(), summary.dropCount(), summary.keyId(), db);
    return command.isEmpty() ? 0 : Math.max(summary.commandExitCode(), 0);
  }
}

package dev.tracefix.server.cli;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureObserver;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.EventType;
import dev.tracefix.capture.ProbeGroup;
import dev.tracefix.capture.StatsConfig;
import dev.tracefix.capture.TriggerRule;
import dev.tracefix.capture.TypeStats;
import dev.tracefix.capture.UprobeTarget;
import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.capture.privacy.PrivacyEngine;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.capture.AttachedJvmRecording;
import dev.tracefix.server.capture.CaptureRecorder;
import dev.tracefix.server.capture.JfrImporter;
import dev.tracefix.server.capture.JvmRecording;
import dev.tracefix.server.metrics.MetricsAddress;
import dev.tracefix.server.metrics.MetricsEndpoint;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.IngestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "capture",
    mixinStandardHelpOptions = true,
    description = {
      "Capture redacted runtime events into a DuckDB file: syscalls with latency and errno, socket"
          + " writes, TCP state changes, resets and retransmits, exec/fork/exit, and on request"
          + " uprobes, off-CPU time and kernel+user stacks.",
      "With '-- COMMAND ARGS...' the command is started and traced with its children until it"
          + " exits. Needs root (CAP_BPF and CAP_PERFMON)."
    })
final class CaptureCommand implements Callable<Integer> {
  private static final int SHUTDOWN_WAIT_SECONDS = 60;

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
      names = "--trigger",
      paramLabel = "RULE",
      description =
          "turn richer probes on while errors burst, e.g. 'ETIMEDOUT,ECONNRESET > 5/s in"
              + " /system.slice/checkout.service -> stacks,uprobe=/path/bin:symbol for 30s'"
              + " (repeatable; each firing lands in the trigger_firings table). Actions: stacks,"
              + " full, uprobe=BINARY:SYMBOL, and jfr (with --jfr --pid: the JVM's recording"
              + " keeps events of every duration while on)")
  List<String> triggers = new ArrayList<>();

  @Option(
      names = "--stacks",
      split = ",",
      paramLabel = "TYPE",
      description =
          "take kernel and user stacks (symbolized on this host) for these event types:"
              + " syscall, uprobe, off_cpu. Java frames need -XX:+PreserveFramePointer and a perf"
              + " map (-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit)")
  List<String> stacks = new ArrayList<>();

  @Option(
      names = "--jfr",
      description =
          "also record a JVM's flight recorder into the capture (jvm_events), redacted by the"
              + " same policy: with --pid PID and no command, attach to that running JVM and"
              + " stream its events while the capture runs; with -- java ..., the launched JVM"
              + " records itself and its events are stored when it exits")
  boolean jfr;

  @Option(
      names = "--off-cpu",
      arity = "0..1",
      fallbackValue = "1ms",
      paramLabel = "MIN",
      description = "report when traced threads are off the CPU for at least MIN (default 1ms)")
  Duration offCpu;

  @Option(
      names = "--metrics",
      paramLabel = "[HOST:]PORT",
      description =
          "serve Prometheus metrics of the running capture at http://HOST:PORT/metrics (host"
              + " default 127.0.0.1; port 0 picks a free one; off unless given)")
  String metrics;

  /** Released once the summary is stored: SIGTERM and SIGINT wait for it before the JVM exits. */
  private final CountDownLatch recorded = new CountDownLatch(1);

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
              + " tcp_reset_sent, tcp_reset_received, exec, exit, fork, uprobe, off_cpu). Skipped"
              + " events are counted per type as sampled_out in capture_stats, apart from"
              + " produced = stored + dropped")
  Map<String, Integer> sampling = new LinkedHashMap<>();

  @Option(
      names = "--probes",
      paramLabel = "GROUP",
      split = ",",
      description =
          "default (the default: syscalls counted and timed in the kernel into syscall_stats,"
              + " only failed and slow calls streamed, plus tcp and process events; cheap enough"
              + " to leave on), full (every syscall of the set and every socket write streamed:"
              + " for short windows), or these probe groups: stats (the default's syscalls),"
              + " socket (sendto/write/writev on sockets), syscalls (raw_syscalls for the default"
              + " set), tcp (state changes, resets, retransmits), process (exec/exit/fork)")
  List<String> probes = new ArrayList<>();

  @Option(
      names = "--store-memory-mb",
      defaultValue = "256",
      paramLabel = "MIB",
      description =
          "DuckDB memory_limit of the capture's store, in MiB (default: ${DEFAULT-VALUE}; 0 for"
              + " DuckDB's default of 80% of RAM). The Java heap is capped by the launcher"
              + " (TRACEFIX_CAPTURE_HEAP, default 128m); both are printed at start")
  int storeMemoryMib;

  @Option(
      names = "--batch-rows",
      defaultValue = "15360",
      paramLabel = "N",
      description =
          "events per Arrow batch on the way to the store (default: ${DEFAULT-VALUE}, a few MiB;"
              + " up to 8 closed batches queue): larger batches mean fewer DuckDB transactions and"
              + " more memory held")
  int batchRows;

  @Option(
      names = "--store-threads",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "DuckDB threads of the capture's store (default: ${DEFAULT-VALUE}; 0: one per core)")
  int storeThreads;

  @Option(
      names = "--stats-interval",
      paramLabel = "DURATION",
      description = "how often default mode's aggregates become syscall_stats rows (default 1s)")
  Duration statsInterval;

  @Option(
      names = "--full-duty",
      paramLabel = "ON/PERIOD",
      description =
          "default mode: also stream every call (as --probes full) for ON at the start of every"
              + " PERIOD, e.g. 1s/20s: a sample of per-call rows at about ON/PERIOD of full mode's"
              + " cost")
  String fullDuty;

  @Option(
      names = "--slow",
      paramLabel = "FAMILY=DURATION",
      description =
          "stream a successful call of a syscall family at least this slow (default mode; e.g."
              + " recv=200ms; 0 streams none; repeatable). Families and defaults: connect"
              + " (connect, accept, accept4) 100ms, send (sendto, sendmsg, write, writev) 50ms,"
              + " recv (recvfrom, recvmsg, read, readv) 1s, close (close, shutdown) 50ms, open"
              + " (openat) 50ms. Failed calls are always streamed")
  List<String> slow = new ArrayList<>();

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "privacy policy to apply, read now (its tests beside it run first; a policy that does"
              + " not parse or fails a test stops the capture). Default: the checkout's"
              + " policies/default.yaml, else ~/.tracefix/policy.yaml, else the built-in copy")
  Path policy;

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "command to run and trace")
  List<String> command = new ArrayList<>();

  private static EventType stackType(String name) {
    for (EventType t : CaptureConfig.STACK_TYPES) {
      if (t.columnValue().equals(name.strip())) {
        return t;
      }
    }
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(new CaptureCommand()),
        "--stacks: '" + name + "' is not one of syscall, uprobe, off_cpu");
  }

  @Override
  public Integer call() {
    Thread hook = Thread.ofPlatform().name("tracefix-capture-store").unstarted(this::awaitRecorded);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return capture();
    } finally {
      recorded.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running and returns now that the latch is released.
      }
    }
  }

  /**
   * On SIGTERM/SIGINT capture's own hook stops polling; the capture then drains, detaches and
   * returns its summary, which this command still has to store. Waits for that (bounded, so a stuck
   * store cannot keep the process alive forever).
   */
  private void awaitRecorded() {
    if (recorded.getCount() > 0) {
      System.err.println("tracefix capture: stopping; draining and storing the capture...");
    }
    try {
      if (!recorded.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
        System.err.println(
            "tracefix capture: the capture was not stored within "
                + SHUTDOWN_WAIT_SECONDS
                + "s of the signal; its row stays incomplete (ended_at NULL)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Default mode's interval and slow-call thresholds from --stats-interval and --slow. */
  private StatsConfig statsConfig() {
    StatsConfig stats =
        statsInterval == null
            ? StatsConfig.DEFAULT
            : new StatsConfig(statsInterval, java.util.Map.of());
    for (String spec : slow) {
      stats = stats.withSlowCall(spec);
    }
    return fullDuty == null ? stats : stats.withFullDuty(fullDuty);
  }

  private Integer capture() {
    if (!jfr) {
      return capture(command, null, false);
    }
    if (command.isEmpty()) {
      if (pid == null) {
        throw new ServerException(
            ServerException.Kind.INVALID,
            "--jfr needs a JVM: --pid PID attaches to a running one, -- java [OPTIONS] MAIN-OR-JAR"
                + " launches one");
      }
      return capture(command, null, true);
    }
    try (JvmRecording recording = JvmRecording.forCommand(command)) {
      return capture(recording.command(), recording, false);
    }
  }

  private Integer capture(List<String> command, JvmRecording recording, boolean attachJvm) {
    Stores.preload(); // in parallel with the policy below: start-up is time the workload runs
    // untraced
    CaptureConfig config =
        new CaptureConfig(
                duration,
                pid == null ? OptionalInt.empty() : OptionalInt.of(pid),
                command,
                keys == null ? KeyStoreLocation.defaultDir() : keys,
                0,
                CaptureConfig.DEFAULT_SYSCALLS,
                uprobes.stream().map(UprobeTarget::parse).toList())
            .withFilters(
                cgroups,
                sampling,
                probes.isEmpty() ? ProbeGroup.DEFAULT : ProbeGroup.parseList(probes))
            .withStats(statsConfig())
            .withStacks(stacks.stream().map(CaptureCommand::stackType).collect(Collectors.toSet()))
            .withOffCpu(offCpu)
            .withTriggers(triggers.stream().map(TriggerRule::parse).toList())
            .withPolicy(policy == null ? ProjectPaths.defaultPolicy() : policy);
    if (!attachJvm && config.triggers().stream().anyMatch(TriggerRule::jfr)) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "a trigger's jfr action switches the recording of an attached JVM: add --jfr --pid PID"
              + " (without a command)");
    }
    // Fail closed before anything is created: a broken policy names its line and stops here.
    Policy inForce = PolicyLoader.loadOrDefault(config.policyFile());
    System.err.printf(
        "tracefix capture: policy %s from %s (%s)%n",
        inForce.name(), CaptureRecorder.policySource(config.policyFile()), inForce.hash());
    // Everything else the user can get wrong is checked before the database or its row exist.
    Capture.check(config);
    IngestOptions ingest = IngestOptions.STREAMING.withBatchRows(batchRows);
    // The command line is not logged: its arguments and paths may hold secrets.
    System.err.printf(
        "tracefix capture: capturing %s into %s...%n",
        command.isEmpty()
            ? "for " + duration.toSeconds() + "s"
            : "a command with " + (command.size() - 1) + " arguments (not logged)",
        db);
    Capture.requireAvailable(); // before the database file is created
    // A JVM that cannot be reached stops the capture here too, before anything is created.
    AttachedJvmRecording jvm = attachJvm ? attach(inForce, config) : null;
    CaptureSummary summary;
    // The JVM's recording is released whatever fails; on the way out, before the store closes.
    try (AttachedJvmRecording releasedLast = jvm;
        MetricsEndpoint endpoint = startMetrics();
        EventStore store =
            Stores.openApplyingRetention(
                db, inForce, System.err, (long) storeMemoryMib << 20, storeThreads);
        AttachedJvmRecording releasedFirst = jvm) {
      // What this agent may take beside the traced service, as it actually runs.
      System.err.printf(
          "tracefix capture: limits: java heap max %d MiB (%s), store %s, batches of %d events%n",
          Runtime.getRuntime().maxMemory() >> 20, collectors(), store.limits(), batchRows);
      if (endpoint != null) {
        System.err.println("tracefix capture: metrics at " + endpoint.url());
      }
      summary =
          CaptureRecorder.record(
              config,
              store,
              announcing(endpoint),
              endpoint == null ? h -> {} : endpoint::onSpool,
              ingest,
              jvm);
      if (recording != null) {
        storeRecording(recording, store, summary, inForce, config);
      }
    }
    System.out.printf(
        "capture %s: %d events stored, %d lost, key %s, stored in %s%n",
        summary.captureId(), summary.eventCount(), summary.dropCount(), summary.keyId(), db);
    if (summary.dropCount() > 0) {
      System.out.printf(
          "  what was lost and why: tracefix sql --db %s \"SELECT loss FROM captures WHERE"
              + " capture_id = '%s'\"%n",
          db, summary.captureId());
    }
    for (TypeStats t : summary.stats()) {
      System.out.printf(
          "  %s: produced %d, stored %d, dropped %d%s%s%n",
          t.type(),
          t.produced(),
          t.stored(),
          t.dropped(),
          t.sampledOut() > 0 ? ", sampled out " + t.sampledOut() : "",
          t.stackFailures() > 0 ? ", without stack " + t.stackFailures() : "");
    }
    return command.isEmpty() ? 0 : Math.max(summary.commandExitCode(), 0);
  }

  /** Attaches to the JVM of --pid, its events to be redacted by {@code policy}. */
  private AttachedJvmRecording attach(Policy policy, CaptureConfig config) {
    HmacKey key = KeyStore.current(config.keyDir());
    AttachedJvmRecording jvm =
        AttachedJvmRecording.attach(pid, new PrivacyEngine(policy, key), key);
    System.err.printf(
        "tracefix capture: attached to the JVM of process %d; its flight recorder streams into"
            + " the capture%n",
        pid);
    return jvm;
  }

  /** The JVM's garbage collectors, e.g. {@code Copy+MarkSweepCompact} for the Serial GC. */
  private static String collectors() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(java.lang.management.GarbageCollectorMXBean::getName)
        .collect(Collectors.joining("+"));
  }

  /** The launched JVM's recording into the finished capture, or why there is none. */
  private static void storeRecording(
      JvmRecording recording,
      EventStore store,
      CaptureSummary summary,
      Policy policy,
      CaptureConfig config) {
    if (!recording.written()) {
      System.err.println(
          "tracefix capture: the JVM wrote no flight recording (killed before it could exit?)");
      return;
    }
    HmacKey key = KeyStore.current(config.keyDir());
    JfrImporter.Result r =
        JfrImporter.importInto(
            recording.file(), store, summary.captureId(), new PrivacyEngine(policy, key), key);
    System.err.printf(
        "tracefix capture: %d JVM events (%d stacks) of the flight recording stored in capture"
            + " %s%s%n",
        r.rows(),
        r.summary().stacks(),
        summary.captureId(),
        r.summary().exactIdentity()
            ? ""
            : "; the JVM's identity was not found among the traced"
                + " processes, so its tokens do not join the kernel rows");
  }

  /**
   * Says once on stderr that the probes are attached (the first snapshot comes after the first
   * poll), then hands every snapshot to the metrics endpoint, if any.
   */
  private static CaptureObserver announcing(MetricsEndpoint endpoint) {
    AtomicBoolean announced = new AtomicBoolean();
    return stats -> {
      if (stats.running() && !announced.getAndSet(true)) {
        System.err.println(
            "tracefix capture: probes attached; SIGINT or SIGTERM stops and stores the capture");
      }
      if (endpoint != null) {
        endpoint.onStats(stats);
      }
    };
  }

  private MetricsEndpoint startMetrics() {
    if (metrics == null) {
      return null;
    }
    return MetricsEndpoint.start(MetricsAddress.parse(metrics));
  }
}

package dev.tracefix.capture;

import dev.tracefix.capture.CaptureException.Kind;
import dev.tracefix.capture.ffm.BpfMaps;
import dev.tracefix.capture.ffm.BpfSession;
import dev.tracefix.capture.ffm.NetTraceLayout;
import dev.tracefix.capture.ffm.RawRecord;
import dev.tracefix.capture.ffm.SyscallStatsDrain;
import dev.tracefix.capture.pipeline.CommandLauncher;
import dev.tracefix.capture.pipeline.SafeEventAssembler;
import dev.tracefix.capture.pipeline.SyscallTable;
import dev.tracefix.capture.pipeline.UprobeResolver;
import dev.tracefix.capture.pipeline.UprobeResolver.ResolvedUprobe;
import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.capture.privacy.PrivacyEngine;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.privacy.keys.Redactor;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.capture.probe.KernelFeatures;
import dev.tracefix.capture.probe.Privileges;
import dev.tracefix.capture.proc.BootIdHash;
import dev.tracefix.capture.proc.CgroupIds;
import dev.tracefix.capture.proc.CgroupPaths;
import dev.tracefix.capture.proc.ProcFs;
import dev.tracefix.capture.proc.ProcessTable;
import dev.tracefix.capture.stacks.StackCollector;
import dev.tracefix.capture.trigger.ProbeSwitch;
import dev.tracefix.capture.trigger.TriggerEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs one bounded eBPF capture and delivers only redacted events. */
public final class Capture {
  static final String OBJECT_RESOURCE = "/bpf/net_trace.bpf.o";
  private static final int POLL_MS = 100;

  /** The {@code capture_stats} type of the in-kernel aggregates (calls, not events). */
  public static final String AGGREGATES = "syscall_stats";

  private Capture() {}

  /** Empty if capture can run here (privileges, BTF, libbpf.so.1), else a one-line reason. */
  public static Optional<String> unavailableReason() {
    return Privileges.missing()
        .or(KernelFeatures::missingBtf)
        .or(BpfSession::libbpfUnavailableReason);
  }

  /**
   * Throws the {@link CaptureException} that {@link #run} would throw for a missing privilege,
   * missing BTF or missing libbpf, so callers can fail before they create anything.
   */
  public static void requireAvailable() {
    Privileges.require();
    KernelFeatures.requireBtf();
    BpfSession.libbpfUnavailableReason()
        .ifPresent(
            reason -> {
              throw new CaptureException(Kind.KERNEL_FEATURE, "cannot capture: " + reason);
            });
  }

  /**
   * Throws the {@link CaptureException} ({@code USER}) that {@link #run} would throw for what a
   * user can get wrong in {@code config}: a duration, pid, ring size, syscall, sampling or stack
   * setting out of range, a pid no process has, a uprobe whose binary or symbol does not resolve, a
   * cgroup that does not exist. Needs no privilege, so callers check before they create anything (a
   * database, a captures row) and a run that cannot start leaves nothing behind.
   */
  public static void check(CaptureConfig config) {
    validate(config);
    UprobeResolver.resolve(allUprobeTargets(config));
    CgroupIds.resolve(config.cgroups(), CgroupPaths.system());
  }

  /**
   * Captures until {@code config.duration()} elapses or the command exits, whichever is first, then
   * drains the ring buffer completely, detaches and reports. Blocks the calling thread.
   */
  public static CaptureSummary run(CaptureConfig config, SafeEventSink sink) {
    return run(config, sink, CaptureObserver.NONE);
  }

  /**
   * Like {@link #run(CaptureConfig, SafeEventSink)}, handing {@code observer} a {@link LiveStats}
   * snapshot about once a second from the capture thread, and a last one after the final drain.
   */
  public static CaptureSummary run(
      CaptureConfig config, SafeEventSink sink, CaptureObserver observer) {
    return run(config, sink, observer, ProbeSwitch.NO_JVM);
  }

  /**
   * Like {@link #run(CaptureConfig, SafeEventSink, CaptureObserver)}, with {@code recorders}
   * switched by the trigger rules beside the kernel probes: the {@code jfr} action of a JVM
   * recording that runs beside the capture ({@link ProbeSwitch#NO_JVM} when none does).
   */
  public static CaptureSummary run(
      CaptureConfig config, SafeEventSink sink, CaptureObserver observer, ProbeSwitch recorders) {
    validate(config);
    // Fail closed: a policy that does not parse or whose tests fail stops the capture here.
    Policy policy = PolicyLoader.loadOrDefault(config.policyFile());
    // Before the privilege checks: a misspelt symbol is the user's to fix wherever this runs.
    List<ResolvedUprobe> allUprobes = UprobeResolver.resolve(allUprobeTargets(config));
    List<ResolvedUprobe> uprobes = allUprobes.subList(0, config.uprobes().size());
    Set<Long> cgroupIds = CgroupIds.resolve(config.cgroups(), CgroupPaths.system());
    requireAvailable();
    KernelFeatures.ensureTracefs();

    HmacKey key = KeyStore.current(config.keyDir());
    ProcFs proc = ProcFs.system();
    PrivacyEngine privacy = new PrivacyEngine(policy, key);
    SafeEventSink guarded = privacy.guard(sink);
    // Trigger probes are switched on the capture thread, once the BPF object is loaded.
    var probeSwitch = new DeferredProbeSwitch();
    // Events carry the monotonic clock plus this offset; the engine reads the same clock.
    long bootOffsetNs = SafeEventAssembler.measureBootOffsetNs();
    TriggerEngine triggers =
        new TriggerEngine(
            config.triggers(), probeSwitch, () -> System.nanoTime() + bootOffsetNs, guarded);
    String bootId = proc.bootId();
    var assembler =
        new SafeEventAssembler(
            new Redactor(key, bootId),
            new ProcessTable(proc, CgroupPaths.system()),
            config.triggers().isEmpty() ? guarded : triggers,
            bootOffsetNs,
            allUprobes);
    LiveStatsSampler sampler = new LiveStatsSampler(observer);
    boolean filtered = config.pid().isPresent() || !config.command().isEmpty();

    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    // Ctrl-C: stop polling and let the capture thread detach cleanly before the JVM exits.
    Thread hook =
        new Thread(
            () -> {
              stop.set(true);
              try {
                finished.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
              }
            },
            "tracefix-capture-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    Path object = extractObject();
    CommandLauncher command = null;
    try (BpfSession bpf = BpfSession.open(object)) {
      BpfMaps maps = bpf.maps();
      ProbeSettings.beforeLoad(maps, config, filtered, cgroupIds);
      boolean offCpu = config.offCpuMin() != null;
      bpf.load();
      int stackBits = ProbeSettings.stackTypeBits(config.stackTypes());
      int triggerStackBits = ProbeSettings.triggerStackBits(offCpu);
      boolean triggerStacks = config.triggers().stream().anyMatch(TriggerRule::stacks);
      if (!config.stackTypes().isEmpty() || triggerStacks) {
        maps.putArrayU32("stack_types", 0, stackBits);
        assembler.useStacks(
            new StackCollector(
                id -> maps.stackFrames("stack_traces", id, NetTraceLayout.STACK_DEPTH),
                guarded::onStack));
      }
      ProbeSettings.afterLoad(maps, config, cgroupIds);
      bpf.openRingBuffer("events");
      List<String> probes =
          new ArrayList<>(
              bpf.attachPrograms(
                  (section, program) -> ProbeSettings.attaches(section, program, config)));
      for (ResolvedUprobe u : uprobes) {
        // pid -1: every process mapping the file; the programs apply the capture's pid filter.
        bpf.attachUprobe("handle_uprobe_entry", false, u.realPath(), u.fileOffset(), u.probeId());
        bpf.attachUprobe("handle_uprobe_return", true, u.realPath(), u.fileOffset(), u.probeId());
        // The symbol only: the binary's path must not reach the captures row.
        // and the symbol is a name a user typed: it passes the identity rule like a comm.
        String symbol = privacy.text().identity().name(u.target().symbol());
        probes.add("uprobe:" + symbol);
        probes.add("uretprobe:" + symbol);
      }
      BpfProbeSwitch switches =
          new BpfProbeSwitch(
              bpf,
              triggerUprobes(config, allUprobes),
              stackBits,
              triggerStackBits,
              ProbeSettings.rawSyscalls(config));
      probeSwitch.bind(ProbeSwitch.both(switches, recorders));
      FullDutyCycle duty =
          ProbeSettings.rawPrepared(config) && config.stats().dutyCycled()
              ? new FullDutyCycle(switches, config.stats())
              : null;
      SyscallStatsDrain aggregates =
          config.probeGroups().contains(ProbeGroup.STATS)
              ? new SyscallStatsDrain(maps, identities(assembler))
              : null;
      long statsEvery = config.stats().interval().toNanos();
      long statsFrom = System.nanoTime();
      Instant startedAt = Instant.now();
      observer.onStarted(startedAt);
      if (!config.command().isEmpty()) {
        command = CommandLauncher.startHeld(config.command());
        command.awaitGate();
        maps.putU32("traced_tgids", Math.toIntExact(command.pid()));
        command.release();
      }

      long deadline = System.nanoTime() + config.duration().toNanos();
      while (!stop.get() && !observer.stopRequested() && !Thread.currentThread().isInterrupted()) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0 || (command != null && !command.isAlive())) {
          break;
        }
        assembler.accept(bpf.poll((int) Math.min(POLL_MS, remainingMs)));
        if (aggregates != null && System.nanoTime() - statsFrom >= statsEvery) {
          statsFrom = drainStats(aggregates, statsFrom, bootOffsetNs, guarded);
        }
        triggers.tick();
        if (duty != null) {
          duty.tick(System.nanoTime());
        }
        sampler.maybeSample(bpf, assembler.delivered());
      }
      triggers.close();
      if (duty != null) {
        duty.close();
      }
      // Once the probes are gone nothing new can arrive, so one consume empties the ring.
      bpf.detach();
      Instant endedAt = Instant.now();
      for (List<RawRecord> batch = bpf.drainBatch(); !batch.isEmpty(); ) {
        assembler.accept(batch);
        batch = bpf.drainBatch();
      }
      if (aggregates != null) {
        // After detach: the kernel's totals are final, so the rows sum to every call seen.
        drainStats(aggregates, statsFrom, bootOffsetNs, guarded);
      }
      assembler.flush();
      sampler.last(bpf, assembler.delivered());
      List<TypeStats> stats = new ArrayList<>(typeStats(bpf));
      long drops = stats.stream().mapToLong(TypeStats::dropped).sum();
      if (aggregates != null) {
        // Not events: calls counted into syscall_stats, and those a full map could not take.
        stats.add(aggregateAccounting(aggregates));
      }
      int exitCode = command == null ? -1 : command.stop();
      return new CaptureSummary(
          CaptureSummary.newCaptureId(),
          startedAt,
          endedAt,
          probes,
          assembler.delivered(),
          drops,
          key.keyId(),
          exitCode,
          stats,
          privacy.attestation(),
          bootId.equals(ProcFs.UNKNOWN_BOOT) ? null : BootIdHash.of(bootId),
          bootOffsetNs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CaptureException(Kind.USER, "capture interrupted", e);
    } finally {
      if (command != null) {
        command.close();
      }
      deleteQuietly(object);
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it only waits for the latch released above.
      }
    }
  }

  /**
   * Delivers the aggregates since {@code fromNs} (monotonic); returns the next interval's start.
   */
  private static long drainStats(
      SyscallStatsDrain stats, long fromNs, long bootOffsetNs, SafeEventSink sink) {
    long now = System.nanoTime();
    List<SyscallStat> rows = stats.drain(fromNs + bootOffsetNs, now + bootOffsetNs);
    if (!rows.isEmpty()) {
      sink.onSyscallStats(rows);
    }
    return now;
  }

  /**
   * The aggregates' own line in {@code capture_stats}: calls the stats hooks saw (produced), those
   * counted into {@code syscall_stats} rows (stored) and those a full map sent to the overflow
   * count (dropped), so a too-small map shows as loss instead of as quiet.
   */
  static TypeStats aggregateAccounting(SyscallStatsDrain aggregates) {
    long overflow = aggregates.overflow();
    long aggregated = aggregates.aggregatedCalls();
    return new TypeStats(AGGREGATES, aggregated + overflow, aggregated, overflow, 0, 0);
  }

  /** The assembler's keyed identities, for aggregate rows. */
  private static SyscallStatsDrain.Identities identities(SafeEventAssembler assembler) {
    return new SyscallStatsDrain.Identities() {
      @Override
      public String processToken(int tgid, long startTimeNs) {
        return assembler.processToken(tgid, startTimeNs);
      }

      @Override
      public String peerHash(int family, byte[] address, int port) {
        return assembler.peerHash(family, address, port);
      }

      @Override
      public String keyId() {
        return assembler.keyId();
      }
    };
  }

  /**
   * Per type: produced and dropped as the kernel counted them, stored as read from the ring. Read
   * after detach and a full drain, so nothing is in flight and the three add up exactly. While
   * probes fire, produced is read last so that it is never below stored plus dropped.
   */
  static List<TypeStats> typeStats(BpfSession bpf) {
    long[] sampledOut = bpf.maps().sumPerCpuSlots("sampled_out", NetTraceLayout.EVENT_TYPES);
    long[] stackFailures = bpf.maps().sumPerCpuSlots("stack_failures", NetTraceLayout.EVENT_TYPES);
    long[] stored = bpf.consumedByType();
    long[] dropped = bpf.maps().sumPerCpuSlots("drops", NetTraceLayout.EVENT_TYPES);
    long[] produced = bpf.maps().sumPerCpuSlots("produced", NetTraceLayout.EVENT_TYPES);
    List<TypeStats> stats = new ArrayList<>();
    for (int type = 0; type < NetTraceLayout.EVENT_TYPES; type++) {
      if (produced[type] + stored[type] + dropped[type] + sampledOut[type] > 0) {
        stats.add(
            new TypeStats(
                NetTraceLayout.typeName(type),
                produced[type],
                stored[type],
                dropped[type],
                sampledOut[type],
                stackFailures[type]));
      }
    }
    return stats;
  }

  /** The capture's own uprobe targets, then each trigger rule's, in order (probe ids follow). */
  private static List<UprobeTarget> allUprobeTargets(CaptureConfig config) {
    List<UprobeTarget> all = new ArrayList<>(config.uprobes());
    config.triggers().forEach(rule -> all.addAll(rule.uprobes()));
    return all;
  }

  /** Each rule's slice of {@code all} (laid out as {@link #allUprobeTargets}). */
  private static Map<TriggerRule, List<ResolvedUprobe>> triggerUprobes(
      CaptureConfig config, List<ResolvedUprobe> all) {
    Map<TriggerRule, List<ResolvedUprobe>> byRule = new HashMap<>();
    int next = config.uprobes().size();
    for (TriggerRule rule : config.triggers()) {
      byRule.put(rule, all.subList(next, next + rule.uprobes().size()));
      next += rule.uprobes().size();
    }
    return byRule;
  }

  private static void validate(CaptureConfig config) {
    ProbeSettings.stackTypeBits(config.stackTypes());
    if (config.offCpuMin() != null && config.offCpuMin().isNegative()) {
      throw new CaptureException(
          Kind.USER, "the off-CPU minimum must not be negative, got " + config.offCpuMin());
    }
    int ring = config.ringBufferBytes();
    if (ring != 0 && (ring < 4096 || Integer.bitCount(ring) != 1)) {
      throw new CaptureException(
          Kind.USER,
          "ring buffer size must be a power of two of at least 4096 bytes (0 for the default "
              + CaptureConfig.DEFAULT_RING_BUFFER_BYTES
              + "), got "
              + ring);
    }
    if (config.duration() == null || config.duration().isNegative() || config.duration().isZero()) {
      throw new CaptureException(
          Kind.USER,
          "capture duration must be positive, got "
              + (config.duration() == null ? "none" : config.duration().toMillis() + "ms"));
    }
    if (config.pid().isPresent() && config.pid().getAsInt() <= 0) {
      throw new CaptureException(Kind.USER, "pid must be positive, got " + config.pid().getAsInt());
    }
    if (config.pid().isPresent()
        && !Files.isDirectory(Path.of("/proc", "" + config.pid().getAsInt()))) {
      // Tracing a pid nobody has would store an empty capture that looks like a quiet process.
      int pid = config.pid().getAsInt();
      throw new CaptureException(
          Kind.USER, "no process has pid " + pid + " (check it with: ps -p " + pid + ")");
    }
    config.syscalls().forEach(SyscallTable::byName);
    config
        .sampling()
        .forEach(
            (type, every) -> {
              NetTraceLayout.typeId(type);
              if (every == null || every < 1) {
                throw new CaptureException(
                    Kind.USER,
                    "sampling of " + type + " must keep 1 in N with N >= 1, got " + every);
              }
            });
    if (config.keyDir() == null) {
      throw new CaptureException(Kind.USER, "no key store directory given");
    }
  }

  /** libbpf opens objects by path, so the classpath resource is copied to a private temp file. */
  private static Path extractObject() {
    try (InputStream in = Capture.class.getResourceAsStream(OBJECT_RESOURCE)) {
      if (in == null) {
        throw new CaptureException(
            Kind.INTERNAL,
            "BPF object "
                + OBJECT_RESOURCE
                + " is not on the classpath; build with 'mvn -pl capture package' (runs"
                + " bpf/build.sh)");
      }
      Path file = Files.createTempFile("tracefix-net_trace", ".bpf.o");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new CaptureException(
          Kind.INTERNAL, "cannot extract " + OBJECT_RESOURCE + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A stale temp copy of a public object file leaks nothing.
    }
  }
}

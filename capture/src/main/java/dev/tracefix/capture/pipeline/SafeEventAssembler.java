package dev.tracefix.capture.pipeline;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.ffm.NetTraceLayout;
import dev.tracefix.capture.ffm.RawExecEvent;
import dev.tracefix.capture.ffm.RawExitEvent;
import dev.tracefix.capture.ffm.RawForkEvent;
import dev.tracefix.capture.ffm.RawNetEvent;
import dev.tracefix.capture.ffm.RawOffCpuEvent;
import dev.tracefix.capture.ffm.RawRecord;
import dev.tracefix.capture.ffm.RawStacked;
import dev.tracefix.capture.ffm.RawSyscallEvent;
import dev.tracefix.capture.ffm.RawTcpEvent;
import dev.tracefix.capture.ffm.RawUprobeEvent;
import dev.tracefix.capture.privacy.keys.Redactor;
import dev.tracefix.capture.proc.ProcFs;
import dev.tracefix.capture.proc.ProcessInfo;
import dev.tracefix.capture.proc.ProcessTable;
import dev.tracefix.capture.stacks.StackCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Raw kernel records in, safe events out: redacts identities and addresses, and hands the sink each
 * process's metadata before the first event that names it. Raw records die here.
 */
public final class SafeEventAssembler {
  private final Redactor redactor;
  private final ProcessTable processes;
  private final SafeEventSink sink;

  /** Wall-clock minus kernel monotonic time, measured once at capture start. */
  private final long bootOffsetNs;

  private long delivered;

  /** A process identity. */
  private record ProcessKey(int tgid, long startTicks) {}

  /**
   * One program a process runs: generation 0 until the process executes another program after it
   * was announced, then one more per such exec. Its token is an HMAC, computed once per image
   * rather than per event.
   */
  private record ImageKey(ProcessKey process, int generation) {}

  private final Map<ImageKey, String> tokens = new HashMap<>();
  private final Set<ImageKey> announced = new HashSet<>();

  /** The current exec generation of processes that have one above 0. */
  private final Map<ProcessKey, Integer> generations = new HashMap<>();

  /** What a uprobe event's probe id stands for, in its safe form. */
  private record ProbeName(String symbol, String binaryHash) {}

  /** By probe id (the BPF attach cookie). */
  private final Map<Integer, ProbeName> probes = new HashMap<>();

  /** Execs of processes not announced yet, in arrival order. */
  private final Map<ProcessKey, List<SafeEvent>> pendingExecs = new LinkedHashMap<>();

  /** Symbolizes stacks; null when the capture takes none. */
  private StackCollector stacks;

  /** An event whose stack waits for a perf map (see {@link StackCollector.Deferred}). */
  private record Held(SafeEvent event, StackCollector.Deferred stack) {}

  /** Events held for their stacks, by tgid, in arrival order. */
  private final Map<Integer, List<Held>> held = new LinkedHashMap<>();

  private record ThreadKey(int tgid, long startTicks, int tid) {}

  private final Map<ThreadKey, String> threadTokens = new HashMap<>();

  /**
   * Distinct peers whose keyed hash is kept: a hash is an HMAC (about a microsecond), and a
   * service's socket records name the same few peers over and over. Past the bound the map starts
   * again, so a scan over many addresses costs what it cost without it.
   */
  static final int MAX_PEER_HASHES = 4096;

  /** An inet address (IPv4 in {@code high}'s low 32 bits) and port, as the kernel gave them. */
  private record PeerKey(int family, long high, long low, int port) {}

  /** Keyed hashes of the peers seen, in memory only, like the raw ids behind the tokens. */
  private final Map<PeerKey, String> peerHashes = new HashMap<>();

  /**
   * How often the processes seen are checked against /proc, and how long one stays known after it
   * was first seen gone: events of a process can still be in the ring after it exited, and a
   * process forgotten too early would be announced a second time.
   */
  static final long RETIRE_EVERY_NS = 10_000_000_000L;

  static final long RETIRE_GRACE_NS = 30_000_000_000L;

  /** Processes seen gone from /proc, since when (System.nanoTime). */
  private final Map<ProcessKey, Long> goneSince = new HashMap<>();

  private long nextRetireNs = System.nanoTime() + RETIRE_EVERY_NS;

  /** The batch being assembled by accept/flush; null between calls. */
  private List<SafeEvent> batch;

  public SafeEventAssembler(
      Redactor redactor, ProcessTable processes, SafeEventSink sink, long bootOffsetNs) {
    this.redactor = redactor;
    this.processes = processes;
    this.sink = sink;
    this.bootOffsetNs = bootOffsetNs;
  }

  /**
   * An assembler for a capture with uprobes: each target's binary path is hashed here, once, and
   * only the hash and the symbol go into events.
   */
  public SafeEventAssembler(
      Redactor redactor,
      ProcessTable processes,
      SafeEventSink sink,
      long bootOffsetNs,
      List<UprobeResolver.ResolvedUprobe> uprobes) {
    this(redactor, processes, sink, bootOffsetNs);
    for (UprobeResolver.ResolvedUprobe u : uprobes) {
      probes.put(
          u.probeId(),
          new ProbeName(u.target().symbol(), redactor.exeHash(u.realPath().toString())));
    }
  }

  /** Takes stacks from now on: events naming kernel stack ids get symbolized stacks. */
  public void useStacks(StackCollector collector) {
    this.stacks = collector;
  }

  /** The offset that turns CLOCK_MONOTONIC (bpf_ktime_get_ns, System.nanoTime) into epoch ns. */
  public static long measureBootOffsetNs() {
    java.time.Instant now = java.time.Instant.now();
    long mono = System.nanoTime();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano() - mono;
  }

  /**
   * Redacts one batch and delivers it (processes first); returns the number of events delivered. An
   * exec of a process not yet announced is held until the process's next event (or {@link #flush}):
   * a command often execs more than once before it does anything (a gate shell, {@code ip netns
   * exec}), and the process is announced with the program it runs by then.
   */
  public int accept(List<RawRecord> raw) {
    long now = System.nanoTime();
    if (now >= nextRetireNs) {
      retireExited(now, RETIRE_GRACE_NS);
      nextRetireNs = now + RETIRE_EVERY_NS;
    }
    if (raw.isEmpty()) {
      return 0;
    }
    batch = new ArrayList<>(raw.size());
    for (RawRecord record : raw) {
      switch (record) {
        case RawExecEvent x -> {
          ProcessKey key = keyOf(x.tgid(), x.startTimeNs());
          ImageKey before = imageOf(key);
          ImageKey image = before;
          String previousToken = null;
          if (announced.contains(before)) {
            // The announced program is replaced: the new one gets its own token and description.
            // Ring order is causal for one process, so every later event is the new program's.
            image = new ImageKey(key, before.generation() + 1);
            generations.put(key, image.generation());
            previousToken = tokenOf(before);
            if (stacks != null) {
              release(x.tgid());
              stacks.forget(x.tgid()); // the old program's mappings are gone
            }
          }
          processes.onExec(
              x.tgid(), key.startTicks(), image.generation(), x.comm(), x.filename(), x.cgroupId());
          SafeEvent exec =
              lifecycle(x.tsNs(), EventType.PROCESS_EXEC, tokenOf(image), -1).toBuilder()
                  .previousToken(previousToken)
                  .build();
          pendingExecs.computeIfAbsent(key, k -> new ArrayList<>()).add(exec);
        }
        case RawExitEvent x -> {
          // The process is gone: a JIT's perf map, if any, is written by now.
          release(x.tgid());
          if (stacks != null) {
            stacks.forget(x.tgid());
          }
          batch.add(
              lifecycle(
                  x.tsNs(),
                  EventType.PROCESS_EXIT,
                  announce(x.tgid(), x.startTimeNs(), x.comm()),
                  x.exitStatus()));
        }
        case RawNetEvent e -> batch.add(redact(e));
        case RawSyscallEvent c -> withStack(redact(c), c, c.tid(), c.startTimeNs(), null);
        case RawTcpEvent t -> batch.add(redact(t));
        case RawUprobeEvent u -> withStack(redact(u), u, u.tid(), u.startTimeNs(), null);
        case RawOffCpuEvent o ->
            withStack(
                lifecycle(
                    o.tsNs(), EventType.OFF_CPU, announce(o.tgid(), o.startTimeNs(), o.comm()), -1),
                o,
                o.tid(),
                o.startTimeNs(),
                WaitStates.of(o.prevState()),
                o.durationNs());
        case RawForkEvent f ->
            batch.add(
                lifecycle(
                        f.tsNs(),
                        EventType.PROCESS_FORK,
                        announce(f.tgid(), f.startTimeNs(), f.comm()),
                        -1)
                    .toBuilder()
                    // A child starts as generation 0 of its own identity.
                    .childToken(
                        tokenOf(new ImageKey(keyOf(f.childTgid(), f.childStartTimeNs()), 0)))
                    .build());
      }
    }
    return deliver();
  }

  /** An event with its thread token and stack: added to the batch, or held for its stack. */
  private void withStack(
      SafeEvent event, RawStacked raw, int tid, long startTimeNs, String waitState) {
    String thread = threadToken(raw.tgid(), startTimeNs, tid);
    StackCollector.Ref ref =
        stacks == null
            ? new StackCollector.Ready(0)
            : stacks.resolve(raw.tgid(), raw.userStackId(), raw.kernelStackId(), raw.leafReturn());
    switch (ref) {
      case StackCollector.Ready r -> batch.add(withThread(event, r.stackId(), thread, waitState));
      case StackCollector.Deferred d ->
          held.computeIfAbsent(raw.tgid(), t -> new ArrayList<>())
              .add(new Held(withThread(event, 0, thread, waitState), d));
    }
  }

  private String threadToken(int tgid, long startTimeNs, int tid) {
    return threadTokens.computeIfAbsent(
        new ThreadKey(tgid, ProcFs.nanosToTicks(startTimeNs), tid),
        k -> redactor.threadToken(k.tgid(), k.startTicks(), k.tid()));
  }

  /** The event with its stack, thread and wait state, and no child. */
  private static SafeEvent withThread(
      SafeEvent event, long stackId, String thread, String waitState) {
    return event.toBuilder()
        .stackId(stackId)
        .threadToken(thread)
        .waitState(waitState)
        .childToken(null)
        .build();
  }

  /** An off-CPU event: its duration is the time off the CPU. */
  private void withStack(
      SafeEvent event,
      RawStacked raw,
      int tid,
      long startTimeNs,
      String waitState,
      long durationNs) {
    SafeEvent timed =
        SafeEvent.builder(event.timeNs(), event.type(), event.processToken(), event.keyId())
            .durationNs(durationNs)
            .build();
    withStack(timed, raw, tid, startTimeNs, waitState);
  }

  /** Names the held stacks of {@code tgid} and adds their events to the batch. */
  private void release(int tgid) {
    List<Held> events = held.remove(tgid);
    if (events == null) {
      return;
    }
    for (Held h : events) {
      SafeEvent e = h.event();
      batch.add(e.toBuilder().stackId(stacks.complete(h.stack())).build());
    }
  }

  /** Announces the processes whose execs are still held and delivers those execs. */
  public int flush() {
    batch = new ArrayList<>();
    for (Integer tgid : List.copyOf(held.keySet())) {
      release(tgid);
    }
    for (ProcessKey key : List.copyOf(pendingExecs.keySet())) {
      announce(key.tgid(), key.startTicks(), null, true);
    }
    return deliver();
  }

  private int deliver() {
    List<SafeEvent> out = batch;
    batch = null;
    if (out.isEmpty()) {
      return 0;
    }
    sink.onEvents(out);
    delivered += out.size();
    return out.size();
  }

  /** Announces the event's process on first sight, then redacts the event. */
  private SafeEvent redact(RawNetEvent e) {
    return toSafe(e, announce(e.tgid(), e.startTimeNs(), e.comm()));
  }

  private SafeEvent redact(RawSyscallEvent c) {
    String token = announce(c.tgid(), c.startTimeNs(), c.comm());
    String name = SyscallTable.nameOf(c.nr());
    long ret = c.ret();
    return c.copyMembersInto(
            SafeEvent.builder(c.tsNs() + bootOffsetNs, EventType.SYSCALL, token, redactor.keyId())
                .durationNs(c.durationNs())
                .bytes(ret > 0 && SyscallTable.returnsBytes(name) ? ret : 0)
                .errno(ret < 0 ? (int) -ret : 0)
                .syscall(name)
                .fd(c.fd()))
        .build();
  }

  private SafeEvent redact(RawTcpEvent t) {
    String token = announce(t.tgid(), t.startTimeNs(), t.comm());
    EventType type =
        switch (t.type()) {
          case NetTraceLayout.EVENT_TCP_RESET_SENT -> EventType.TCP_RESET_SENT;
          case NetTraceLayout.EVENT_TCP_RESET_RECEIVED -> EventType.TCP_RESET_RECEIVED;
          default -> EventType.TCP_STATE;
        };
    // The socket's kernel address and birth time are hashed like an address (family 0): the key
    // hides the kernel layout and makes hashes unlinkable across keys; one connection, one hash.
    String connection =
        t.sock() == 0
            ? null
            : redactor.addressHash(
                0, ByteBuffer.allocate(16).putLong(t.sock()).putLong(t.sockBornNs()).array(), 0);
    return SafeEvent.builder(t.tsNs() + bootOffsetNs, type, token, redactor.keyId())
        .durationNs(t.durationNs())
        .peerHash(addressHash(t.family(), t.daddr(), t.dport()))
        .connectionHash(connection)
        .tcpOldState(t.oldState() <= 0 ? null : TcpStates.name(t.oldState()))
        .tcpNewState(t.newState() < 0 ? null : TcpStates.name(t.newState()))
        .family(t.family())
        .protocol(t.protocol())
        .localPort(t.sport())
        .remotePort(t.dport())
        .localHash(addressHash(t.family(), t.saddr(), t.sport()))
        .build();
  }

  private SafeEvent redact(RawUprobeEvent u) {
    String token = announce(u.tgid(), u.startTimeNs(), u.comm());
    ProbeName name = probes.getOrDefault(u.probeId(), new ProbeName(null, null));
    return SafeEvent.builder(u.tsNs() + bootOffsetNs, EventType.UPROBE, token, redactor.keyId())
        .durationNs(u.durationNs())
        .symbol(name.symbol())
        .binaryHash(name.binaryHash())
        .returnValue(u.ret())
        .build();
  }

  private SafeEvent lifecycle(long tsNs, EventType type, String token, int exitStatus) {
    return SafeEvent.builder(tsNs + bootOffsetNs, type, token, redactor.keyId())
        .exitStatus(exitStatus)
        .build();
  }

  /**
   * The process's token; its metadata goes to the sink the first time the process is seen, and
   * execs held for it join the batch before the event that made it appear.
   */
  private String announce(int tgid, long startTimeNs, String comm) {
    return announce(tgid, ProcFs.nanosToTicks(startTimeNs), comm, true);
  }

  private String announce(int tgid, long startTicks, String comm, boolean releaseHeld) {
    ProcessKey key = new ProcessKey(tgid, startTicks);
    ImageKey image = imageOf(key);
    String token = tokenOf(image);
    if (announced.add(image) && processes.firstSighting(tgid, startTicks, image.generation())) {
      ProcessInfo info = processes.lookup(tgid, startTicks, image.generation(), comm);
      sink.onProcess(
          new SafeProcess(
              token,
              info.commMayBeCut() ? redactor.cutCommToken(info.comm()) : info.comm(),
              info.buildId().orElse(null),
              info.cgroup().orElse(null),
              info.exePath().map(redactor::exeHash).orElse(null),
              redactor.keyId()));
    }
    List<SafeEvent> held = releaseHeld ? pendingExecs.remove(key) : null;
    if (held != null) {
      batch.addAll(held);
    }
    return token;
  }

  private static ProcessKey keyOf(int tgid, long startTimeNs) {
    return new ProcessKey(tgid, ProcFs.nanosToTicks(startTimeNs));
  }

  /** The program the process runs now, as far as the records read so far tell. */
  private ImageKey imageOf(ProcessKey key) {
    return new ImageKey(key, generations.getOrDefault(key, 0));
  }

  private String tokenOf(ImageKey image) {
    return tokens.computeIfAbsent(
        image,
        k -> redactor.processToken(k.process().tgid(), k.process().startTicks(), k.generation()));
  }

  public long delivered() {
    return delivered;
  }

  /**
   * Forgets the processes that have been gone from /proc for at least {@code graceNs}: their
   * tokens, announcements, exec generations and thread tokens, here and in the process table. What
   * was stored for them stays; a capture that runs for days beside short-lived processes keeps only
   * those that live, and those of the last grace period.
   *
   * @return the processes forgotten
   */
  int retireExited(long nowNs, long graceNs) {
    Set<ProcessKey> known = knownKeys();
    goneSince.keySet().retainAll(known);
    Set<ProcessKey> expired = new HashSet<>();
    for (ProcessKey k : known) {
      // Held events and execs still need their process: it is retired on a later round.
      if (k.tgid() == 0 || pendingExecs.containsKey(k) || held.containsKey(k.tgid())) {
        continue;
      }
      if (processes.isRunning(k.tgid(), k.startTicks())) {
        goneSince.remove(k);
      } else if (nowNs - goneSince.computeIfAbsent(k, x -> nowNs) >= graceNs) {
        expired.add(k);
      }
    }
    if (expired.isEmpty()) {
      return 0;
    }
    tokens.keySet().removeIf(image -> expired.contains(image.process()));
    announced.removeIf(image -> expired.contains(image.process()));
    generations.keySet().removeAll(expired);
    threadTokens.keySet().removeIf(t -> expired.contains(new ProcessKey(t.tgid(), t.startTicks())));
    goneSince.keySet().removeAll(expired);
    for (ProcessKey k : expired) {
      processes.forget(k.tgid(), k.startTicks());
    }
    return expired.size();
  }

  /** Processes this assembler holds state for (tokens, announcements, generations, threads). */
  int knownProcesses() {
    return knownKeys().size();
  }

  private Set<ProcessKey> knownKeys() {
    Set<ProcessKey> known = new HashSet<>(generations.keySet());
    tokens.keySet().forEach(image -> known.add(image.process()));
    announced.forEach(image -> known.add(image.process()));
    threadTokens.keySet().forEach(t -> known.add(new ProcessKey(t.tgid(), t.startTicks())));
    return known;
  }

  /**
   * The token of a process known from kernel aggregates (default mode's syscall_stats), announced
   * to the sink on first sight as for an event, with the execs held for it delivered first.
   */
  public String processToken(int tgid, long startTimeNs) {
    batch = new ArrayList<>();
    // An aggregate has no comm: a process gone before /proc was read, with no exec record to
    // describe it, is announced under a placeholder rather than a guess.
    String token = announce(tgid, startTimeNs, ProcessTable.GONE_COMM);
    deliver();
    return token;
  }

  /**
   * The keyed hash of an inet peer (family 2 or 10) as events carry it; null for another family.
   */
  public String peerHash(int family, byte[] address, int port) {
    return addressHash(family, address, port);
  }

  /** The id of the key that makes this capture's tokens and hashes. */
  public String keyId() {
    return redactor.keyId();
  }

  private SafeEvent toSafe(RawNetEvent e, String token) {
    long timeNs = e.tsNs() + bootOffsetNs;
    if (e.isTcpRetransmit()) {
      return SafeEvent.builder(timeNs, EventType.TCP_RETRANSMIT, token, redactor.keyId())
          .peerHash(addressHash(e.family(), e.daddr(), e.dport()))
          .build();
    }
    // sendto and socket writes share one shape: bytes on success, errno on failure. The row is
    // the call's only row (no syscall row twins it), so it names its syscall too.
    long ret = e.ret();
    EventType type = e.isSocketWrite() ? EventType.SOCKET_WRITE : EventType.SENDTO;
    return SafeEvent.builder(timeNs, type, token, redactor.keyId())
        .durationNs(e.durationNs())
        .bytes(Math.max(ret, 0))
        .errno(ret < 0 ? (int) -ret : 0)
        .peerHash(addressHash(e.family(), e.daddr(), e.dport()))
        .fd(e.fd())
        .syscall(SyscallTable.nameOf(e.state()))
        .threadToken(threadToken(e.tgid(), e.startTimeNs(), e.tid()))
        .build();
  }

  private String addressHash(int family, byte[] address, int port) {
    PeerKey key =
        switch (family) {
          case RawNetEvent.AF_INET -> new PeerKey(family, bigEndian(address, 0, 4), 0, port);
          case RawNetEvent.AF_INET6 ->
              new PeerKey(family, bigEndian(address, 0, 8), bigEndian(address, 8, 8), port);
          default -> null;
        };
    if (key == null) {
      return null;
    }
    String hash = peerHashes.get(key);
    if (hash == null) {
      hash =
          family == RawNetEvent.AF_INET
              ? redactor.addressHash(family, Arrays.copyOf(address, 4), port)
              : redactor.addressHash(family, address, port);
      if (peerHashes.size() >= MAX_PEER_HASHES) {
        peerHashes.clear();
      }
      peerHashes.put(key, hash);
    }
    return hash;
  }

  private static long bigEndian(byte[] bytes, int from, int length) {
    long value = 0;
    for (int i = from; i < from + length; i++) {
      value = (value << 8) | (bytes[i] & 0xff);
    }
    return value;
  }
}

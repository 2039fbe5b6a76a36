package dev.tracefix.capture.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One BPF object through its whole life: open, configure, load, attach, poll, destroy. Each stage
 * fails with its own {@link CaptureException} (kind LIBBPF) quoting libbpf's message and log (which
 * holds the verifier log when load fails). Not thread-safe: one capture thread drives it.
 */
public final class BpfSession implements AutoCloseable {
  /** The lifecycle stages, in order; a failure names the stage it happened in. */
  public enum Stage {
    OPEN,
    CONFIGURE,
    LOAD,
    ATTACH,
    POLL,
    DESTROY
  }

  private static final long BPF_ANY = 0;

  private final Arena arena = Arena.ofShared();
  private final Path objectFile;
  private final MemorySegment object;
  private final List<MemorySegment> links = new ArrayList<>();
  private final List<RawRecord> pending = new ArrayList<>();

  /** Records read from the ring, by the type id in their first field (index 0: unknown ids). */
  private final long[] consumedByType = new long[NetTraceLayout.EVENT_TYPES];

  private RingReader ring;
  private final NetTraceLayout.CommCache comms = new NetTraceLayout.CommCache();
  private boolean loaded;
  private boolean closed;

  private BpfSession(Path objectFile, MemorySegment object) {
    this.objectFile = objectFile;
    this.object = object;
  }

  /** Empty if libbpf.so.1 can be loaded here, else a one-line reason. */
  public static Optional<String> libbpfUnavailableReason() {
    return LibBpf.unavailableReason();
  }

  /** Stage OPEN: parses the ELF object; nothing reaches the kernel yet. */
  public static BpfSession open(Path objectFile) {
    LibBpfLog.install();
    LibBpfLog.drain();
    try (Arena call = Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoState(call);
      MemorySegment obj =
          (MemorySegment)
              LibBpf.H.OPEN_FILE.invokeExact(
                  errno, call.allocateFrom(objectFile.toString()), MemorySegment.NULL);
      if (obj.equals(MemorySegment.NULL)) {
        throw failure(Stage.OPEN, objectFile, "bpf_object__open_file", -LibBpf.errno(errno));
      }
      return new BpfSession(objectFile, obj);
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.OPEN, t);
    }
  }

  /**
   * Stage CONFIGURE: sets a {@code const volatile} bool in {@code .rodata} before load.
   *
   * <p>Why .rodata and not a settings map: after load the kernel freezes .rodata, so the verifier
   * sees the value as a constant and removes the branches it disables (no map lookup per event when
   * the filter is off). Before load, libbpf keeps the section's initial image in memory ({@code
   * bpf_map__initial_value}); the variable's offset in it comes from the object's BTF.
   */
  public void setRodataBool(String variable, boolean value) {
    rodata(variable, 1).set(JAVA_BYTE, 0, (byte) (value ? 1 : 0));
  }

  /** Stage CONFIGURE: sets a {@code const volatile __u64} in {@code .rodata} before load. */
  public void setRodataU64(String variable, long value) {
    rodata(variable, 8).set(JAVA_LONG_UNALIGNED, 0, value);
  }

  /** Stage CONFIGURE: sets a {@code const volatile __u32} in {@code .rodata} before load. */
  public void setRodataU32(String variable, int value) {
    rodata(variable, 4).set(JAVA_INT_UNALIGNED, 0, value);
  }

  /** Stage CONFIGURE: sets element {@code index} of a {@code const volatile __u32[]} in .rodata. */
  public void setRodataU32(String variable, int index, int value) {
    rodata(variable, 4L * (index + 1)).set(JAVA_INT_UNALIGNED, 4L * index, value);
  }

  /** Stage CONFIGURE: sets element {@code index} of a {@code const volatile __u8[]} in .rodata. */
  public void setRodataU8(String variable, int index, byte value) {
    rodata(variable, index + 1L).set(JAVA_BYTE, index, value);
  }

  /**
   * The first {@code bytes} bytes of a .rodata variable in libbpf's initial image, to be written
   * before load; a CONFIGURE failure when the variable is missing or smaller.
   */
  private MemorySegment rodata(String variable, long bytes) {
    requireNotLoaded(Stage.CONFIGURE);
    try (Arena call = Arena.ofConfined()) {
      MemorySegment map = findMap(".rodata", Stage.CONFIGURE);
      MemorySegment sizeOut = call.allocate(JAVA_LONG);
      MemorySegment data = (MemorySegment) LibBpf.H.MAP_INITIAL_VALUE.invokeExact(map, sizeOut);
      long size = sizeOut.get(JAVA_LONG, 0);
      OptionalLong offset = BtfDatasec.offsetOf(object, ".rodata", variable);
      if (data.equals(MemorySegment.NULL)
          || offset.isEmpty()
          || offset.getAsLong() + bytes > size) {
        throw new CaptureException(
            Kind.LIBBPF,
            "libbpf configure of "
                + objectFile
                + " failed: .rodata has no variable '"
                + variable
                + "' (rebuild bpf/ with build.sh)");
      }
      return data.reinterpret(size).asSlice(offset.getAsLong(), bytes);
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.CONFIGURE, t);
    }
  }

  /** Stage CONFIGURE: resizes a map (e.g. the ring buffer) before load. */
  public void setMaxEntries(String mapName, int maxEntries) {
    requireNotLoaded(Stage.CONFIGURE);
    try {
      int rc =
          (int)
              LibBpf.H.MAP_SET_MAX_ENTRIES.invokeExact(
                  findMap(mapName, Stage.CONFIGURE), maxEntries);
      if (rc != 0) {
        throw failure(Stage.CONFIGURE, objectFile, "bpf_map__set_max_entries(" + mapName + ")", rc);
      }
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.CONFIGURE, t);
    }
  }

  /** Stage LOAD: creates the maps and runs the verifier on every program. */
  public void load() {
    requireNotLoaded(Stage.LOAD);
    LibBpfLog.drain();
    try (Arena call = Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoState(call);
      int rc = (int) LibBpf.H.OBJECT_LOAD.invokeExact(errno, object);
      if (rc != 0) {
        throw failure(Stage.LOAD, objectFile, "bpf_object__load", rc);
      }
      loaded = true;
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.LOAD, t);
    }
  }

  /** After load: adds a key with a one-byte value to a hash map of u32 keys (the tgid filter). */
  public void putU32(String mapName, int key) {
    requireLoaded(Stage.CONFIGURE);
    try (Arena call = Arena.ofConfined()) {
      int fd = mapFd(mapName, Stage.CONFIGURE);
      MemorySegment errno = LibBpf.errnoState(call);
      MemorySegment k = call.allocateFrom(JAVA_INT, key);
      MemorySegment v = call.allocateFrom(JAVA_BYTE, (byte) 1);
      int rc = (int) LibBpf.H.MAP_UPDATE_ELEM.invokeExact(errno, fd, k, v, BPF_ANY);
      if (rc != 0) {
        throw failure(Stage.CONFIGURE, objectFile, "bpf_map_update_elem(" + mapName + ")", rc);
      }
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.CONFIGURE, t);
    }
  }

  /** After load: adds a key with a one-byte value to a hash map of u64 keys (the cgroup filter). */
  public void putU64(String mapName, long key) {
    requireLoaded(Stage.CONFIGURE);
    try (Arena call = Arena.ofConfined()) {
      int fd = mapFd(mapName, Stage.CONFIGURE);
      MemorySegment errno = LibBpf.errnoState(call);
      MemorySegment k = call.allocateFrom(JAVA_LONG, key);
      MemorySegment v = call.allocateFrom(JAVA_BYTE, (byte) 1);
      int rc = (int) LibBpf.H.MAP_UPDATE_ELEM.invokeExact(errno, fd, k, v, BPF_ANY);
      if (rc != 0) {
        throw failure(Stage.CONFIGURE, objectFile, "bpf_map_update_elem(" + mapName + ")", rc);
      }
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.CONFIGURE, t);
    }
  }

  /** After load: sets one byte of an array map with u32 keys (e.g. a syscall's bits). */
  public void putArrayU8(String mapName, int index, byte value) {
    requireLoaded(Stage.CONFIGURE);
    try (Arena call = Arena.ofConfined()) {
      int fd = mapFd(mapName, Stage.CONFIGURE);
      MemorySegment errno = LibBpf.errnoState(call);
      MemorySegment k = call.allocateFrom(JAVA_INT, index);
      MemorySegment v = call.allocateFrom(JAVA_BYTE, value);
      int rc = (int) LibBpf.H.MAP_UPDATE_ELEM.invokeExact(errno, fd, k, v, BPF_ANY);
      if (rc != 0) {
        throw failure(Stage.CONFIGURE, objectFile, "bpf_map_update_elem(" + mapName + ")", rc);
      }
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.CONFIGURE, t);
    }
  }

  /** After load: sets one u32 of an array map with u32 keys (e.g. the stack_types bitmask). */
  public void putArrayU32(String mapName, int index, int value) {
    requireLoaded(Stage.CONFIGURE);
    try (Arena call = Arena.ofConfined()) {
      int fd = mapFd(mapName, Stage.CONFIGURE);
      MemorySegment errno = LibBpf.errnoState(call);
      MemorySegment k = call.allocateFrom(JAVA_INT, index);
      MemorySegment v = call.allocateFrom(JAVA_INT, value);
      int rc = (int) LibBpf.H.MAP_UPDATE_ELEM.invokeExact(errno, fd, k, v, BPF_ANY);
      if (rc != 0) {
        throw failure(Stage.CONFIGURE, objectFile, "bpf_map_update_elem(" + mapName + ")", rc);
      }
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.CONFIGURE, t);
    }
  }

  /**
   * The instruction pointers of stack {@code id} of a stack-trace map, leaf first, up to the first
   * zero; empty when the id is unknown. Raw addresses: they stay in memory until symbolized.
   */
  public long[] stackFrames(String mapName, int id, int depth) {
    requireLoaded(Stage.POLL);
    try (Arena call = Arena.ofConfined()) {
      int fd = mapFd(mapName, Stage.POLL);
      MemorySegment errno = LibBpf.errnoState(call);
      MemorySegment values = call.allocate(JAVA_LONG, depth);
      int rc =
          (int)
              LibBpf.H.MAP_LOOKUP_ELEM.invokeExact(
                  errno, fd, call.allocateFrom(JAVA_INT, id), values);
      if (rc != 0) {
        return new long[0];
      }
      int n = 0;
      while (n < depth && values.getAtIndex(JAVA_LONG, n) != 0) {
        n++;
      }
      long[] ips = new long[n];
      for (int i = 0; i < n; i++) {
        ips[i] = values.getAtIndex(JAVA_LONG, i);
      }
      return ips;
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.POLL, t);
    }
  }

  /**
   * Stage ATTACH: attaches every program by its section; returns the probes, e.g. tracepoint/x/y.
   * Programs that need a target given at attach time (bare {@code uprobe}/{@code uretprobe}
   * sections) are left to {@link #attachUprobe}.
   */
  public List<String> attachAll() {
    return attach(section -> true);
  }

  /** Sections libbpf cannot attach by themselves: the target binary comes from the user. */
  static boolean needsTarget(String section) {
    return section.equals("uprobe") || section.equals("uretprobe");
  }

  /**
   * {@code struct bpf_uprobe_opts} as far as libbpf 1.1 has it: sz, ref_ctr_offset, bpf_cookie,
   * retprobe (then func_name, left out: {@code sz} tells libbpf which fields we set).
   */
  private static final long UPROBE_OPTS_SIZE = 32;

  /**
   * Stage ATTACH: attaches program {@code program} as a uprobe (or uretprobe) at {@code fileOffset}
   * of {@code binary}, in every process that maps it (pid -1; the program's own pid filter
   * decides), with {@code cookie} readable by the program through bpf_get_attach_cookie.
   */
  public void attachUprobe(
      String program, boolean retprobe, Path binary, long fileOffset, long cookie) {
    try {
      attachUprobeLink(program, retprobe, binary, fileOffset, cookie);
    } catch (CaptureException e) {
      detach();
      throw e;
    }
  }

  /** An attached probe that can be destroyed on its own, while the others keep running. */
  public record Link(MemorySegment handle) {}

  /**
   * Like {@link #attachUprobe}, but a failure leaves the probes already attached in place, and the
   * probe can be destroyed alone ({@link #destroy}): for probes turned on and off during a capture.
   */
  public Link attachUprobeLink(
      String program, boolean retprobe, Path binary, long fileOffset, long cookie) {
    requireLoaded(Stage.ATTACH);
    String call =
        "bpf_program__attach_uprobe_opts("
            + program
            + ", "
            + (retprobe ? "retprobe" : "entry")
            + ", "
            + binary
            + ", 0x"
            + Long.toHexString(fileOffset)
            + ")";
    try (Arena c = Arena.ofConfined()) {
      MemorySegment prog =
          (MemorySegment) LibBpf.H.FIND_PROGRAM.invokeExact(object, c.allocateFrom(program));
      if (prog.equals(MemorySegment.NULL)) {
        throw new CaptureException(
            Kind.LIBBPF,
            "libbpf attach of " + objectFile + " failed: no program named '" + program + "'");
      }
      MemorySegment opts = c.allocate(UPROBE_OPTS_SIZE, 8);
      opts.set(JAVA_LONG, 0, UPROBE_OPTS_SIZE);
      opts.set(JAVA_LONG, 8, 0L);
      opts.set(JAVA_LONG, 16, cookie);
      opts.set(JAVA_BYTE, 24, (byte) (retprobe ? 1 : 0));
      LibBpfLog.drain();
      MemorySegment errno = LibBpf.errnoState(c);
      MemorySegment link =
          (MemorySegment)
              LibBpf.H.ATTACH_UPROBE_OPTS.invokeExact(
                  errno, prog, -1, c.allocateFrom(binary.toString()), fileOffset, opts);
      if (link.equals(MemorySegment.NULL)) {
        throw failure(Stage.ATTACH, objectFile, call, -LibBpf.errno(errno));
      }
      links.add(link);
      return new Link(link);
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.ATTACH, t);
    }
  }

  /** Stage ATTACH: attaches the programs whose section {@code wanted} accepts. */
  public List<String> attach(java.util.function.Predicate<String> wanted) {
    requireLoaded(Stage.ATTACH);
    List<String> probes = new ArrayList<>();
    try (Arena call = Arena.ofConfined()) {
      MemorySegment prog = MemorySegment.NULL;
      while (true) {
        prog = (MemorySegment) LibBpf.H.NEXT_PROGRAM.invokeExact(object, prog);
        if (prog.equals(MemorySegment.NULL)) {
          break;
        }
        String section = LibBpf.string((MemorySegment) LibBpf.H.PROGRAM_SECTION.invokeExact(prog));
        if (needsTarget(section) || !wanted.test(section)) {
          continue;
        }
        LibBpfLog.drain();
        MemorySegment errno = LibBpf.errnoState(call);
        MemorySegment link = (MemorySegment) LibBpf.H.PROGRAM_ATTACH.invokeExact(errno, prog);
        if (link.equals(MemorySegment.NULL)) {
          int err = -LibBpf.errno(errno);
          CaptureException failure =
              failure(Stage.ATTACH, objectFile, "bpf_program__attach(" + section + ")", err);
          throw missingTracepoint(section, err)
              .map(hint -> new CaptureException(Kind.LIBBPF, hint + "\n" + failure.getMessage()))
              .orElse(failure);
        }
        links.add(link);
        probes.add(section);
      }
      return probes;
    } catch (CaptureException e) {
      detach();
      throw e;
    } catch (Throwable t) {
      detach();
      throw internal(Stage.ATTACH, t);
    }
  }

  /**
   * Stage POLL setup: maps the ring buffer whose records {@link #poll} returns. Read directly from
   * its memory (see {@link RingReader}) rather than through libbpf's ring_buffer, whose one upcall
   * per record made the Java consumer far slower than a C one.
   */
  public void openRingBuffer(String mapName) {
    requireLoaded(Stage.POLL);
    try {
      MemorySegment map = findMap(mapName, Stage.POLL);
      int size = (int) LibBpf.H.MAP_MAX_ENTRIES.invokeExact(map);
      ring = RingReader.map(mapFd(mapName, Stage.POLL), Integer.toUnsignedLong(size), arena);
    } catch (RingReader.RingMapException e) {
      throw failure(Stage.POLL, objectFile, "mmap(" + mapName + ")", -e.errno);
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.POLL, t);
    }
  }

  /** Copies one record out of the ring; a record of an unknown type is counted and skipped. */
  private void onRecord(MemorySegment record) {
    long size = record.byteSize();
    int type = size >= 4 ? record.get(JAVA_INT, 0) : 0;
    consumedByType[type > 0 && type < consumedByType.length ? type : 0]++;
    RawRecord decoded = NetTraceLayout.decodeRecord(record, comms);
    if (decoded != null) {
      pending.add(decoded);
    }
  }

  /**
   * Records per {@link #poll}/{@link #drainBatch} call: batches stay small enough for their records
   * to die young, instead of one huge list after a burst.
   */
  public static final int MAX_BATCH = 8192;

  /** Stage POLL: waits up to {@code timeoutMs} for records and returns up to MAX_BATCH. */
  public List<RawRecord> poll(int timeoutMs) {
    return take(Stage.POLL, timeoutMs);
  }

  /** Stage POLL: up to MAX_BATCH records without waiting; empty once the ring is empty. */
  public List<RawRecord> drainBatch() {
    return take(Stage.POLL, 0);
  }

  /** Stage POLL: consumes everything in the ring right now without waiting, as one list. */
  public List<RawRecord> drain() {
    List<RawRecord> all = new ArrayList<>();
    for (List<RawRecord> batch = drainBatch(); !batch.isEmpty(); batch = drainBatch()) {
      all.addAll(batch);
    }
    return all;
  }

  private List<RawRecord> take(Stage stage, int timeoutMs) {
    if (ring == null) {
      throw new CaptureException(Kind.INTERNAL, "poll before openRingBuffer");
    }
    try {
      if (timeoutMs <= 0 || ring.await(timeoutMs)) {
        ring.consume(this::onRecord, MAX_BATCH);
      }
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(stage, t);
    }
    List<RawRecord> batch = List.copyOf(pending);
    pending.clear();
    return batch;
  }

  /**
   * Records read from the ring so far, indexed by kernel type id; index 0 counts records of an
   * unknown type or too short to carry one.
   */
  public long[] consumedByType() {
    return consumedByType.clone();
  }

  /** Sums every slot of a per-CPU u64 array over all possible CPUs, slot by slot. */
  public long[] sumPerCpuSlots(String mapName, int slots) {
    long[] sums = new long[slots];
    for (int i = 0; i < slots; i++) {
      sums[i] = sumPerCpuU64(mapName, i);
    }
    return sums;
  }

  /** Sums a per-CPU u64 array slot over every possible CPU (exact: no sampling, no races). */
  public long sumPerCpuU64(String mapName, int index) {
    requireLoaded(Stage.POLL);
    try (Arena call = Arena.ofConfined()) {
      int cpus = (int) LibBpf.H.NUM_POSSIBLE_CPUS.invokeExact();
      if (cpus <= 0) {
        throw failure(Stage.POLL, objectFile, "libbpf_num_possible_cpus", cpus);
      }
      int fd = mapFd(mapName, Stage.POLL);
      MemorySegment errno = LibBpf.errnoState(call);
      MemorySegment values = call.allocate(JAVA_LONG, cpus);
      int rc =
          (int)
              LibBpf.H.MAP_LOOKUP_ELEM.invokeExact(
                  errno, fd, call.allocateFrom(JAVA_INT, index), values);
      if (rc != 0) {
        throw failure(Stage.POLL, objectFile, "bpf_map_lookup_elem(" + mapName + ")", rc);
      }
      long sum = 0;
      for (int cpu = 0; cpu < cpus; cpu++) {
        sum += values.getAtIndex(JAVA_LONG, cpu);
      }
      return sum;
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.POLL, t);
    }
  }

  /** Destroys one link made by {@link #attachUprobeLink}; a link already destroyed is ignored. */
  public void destroy(Link link) {
    if (links.remove(link.handle())) {
      try {
        int unused = (int) LibBpf.H.LINK_DESTROY.invokeExact(link.handle());
      } catch (Throwable ignored) {
        // Best effort, as in detach(): closing the object releases whatever remains.
      }
    }
  }

  /** Destroys every link: the probes stop firing; maps stay readable until close. */
  public void detach() {
    for (MemorySegment link : links) {
      try {
        int unused = (int) LibBpf.H.LINK_DESTROY.invokeExact(link);
      } catch (Throwable ignored) {
        // Best effort: the object close below releases whatever remains.
      }
    }
    links.clear();
  }

  /** Stage DESTROY: detaches, frees the ring buffer and closes the object. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    detach();
    try {
      if (ring != null) {
        ring.close();
        ring = null;
      }
      LibBpf.H.OBJECT_CLOSE.invokeExact(object);
    } catch (Throwable t) {
      throw internal(Stage.DESTROY, t);
    } finally {
      arena.close();
    }
  }

  private MemorySegment findMap(String name, Stage stage) throws Throwable {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment map =
          (MemorySegment) LibBpf.H.FIND_MAP.invokeExact(object, call.allocateFrom(name));
      if (map.equals(MemorySegment.NULL)) {
        throw new CaptureException(
            Kind.LIBBPF,
            "libbpf "
                + stage.name().toLowerCase()
                + " of "
                + objectFile
                + " failed: no map named '"
                + name
                + "'");
      }
      return map;
    }
  }

  private int mapFd(String name, Stage stage) throws Throwable {
    int fd = (int) LibBpf.H.MAP_FD.invokeExact(findMap(name, stage));
    if (fd < 0) {
      throw failure(stage, objectFile, "bpf_map__fd(" + name + ")", fd);
    }
    return fd;
  }

  private void requireNotLoaded(Stage stage) {
    if (loaded || closed) {
      throw new CaptureException(Kind.INTERNAL, stage + " after load or close");
    }
  }

  private void requireLoaded(Stage stage) {
    if (!loaded || closed) {
      throw new CaptureException(Kind.INTERNAL, stage + " before load or after close");
    }
  }

  private static CaptureException failure(Stage stage, Path file, String call, int err) {
    String log = LibBpfLog.drain().strip();
    String message =
        "libbpf "
            + stage.name().toLowerCase()
            + " of "
            + file
            + " failed in "
            + call
            + ": "
            + LibBpf.strerror(err)
            + " (errno "
            + Math.abs(err)
            + ")"
            + (log.isEmpty() ? "" : "\nlibbpf log:\n" + log);
    return new CaptureException(Kind.LIBBPF, message);
  }

  /**
   * For a tracepoint program whose attach failed with ENOENT: the tracepoint is not in this
   * kernel's tracefs (renamed, or its subsystem is not built in), said first with where to look.
   */
  static Optional<String> missingTracepoint(String section, int err) {
    String prefix = "tracepoint/";
    if (!section.startsWith(prefix) || Math.abs(err) != 2) {
      return Optional.empty();
    }
    String name = section.substring(prefix.length());
    String category = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
    return Optional.of(
        "tracepoint "
            + name
            + " does not exist on this kernel: list the ones it has with 'ls /sys/kernel/tracing/"
            + "events/"
            + category
            + "/' (tracefs mounted), and use a tracefix built for this kernel");
  }

  private static CaptureException internal(Stage stage, Throwable t) {
    return new CaptureException(
        Kind.INTERNAL, "native call failed in stage " + stage + ": " + t, t);
  }
}

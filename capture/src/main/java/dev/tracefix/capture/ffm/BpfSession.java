package dev.tracefix.capture.ffm;

import static dev.tracefix.capture.ffm.LibBpfFailure.attachFailure;
import static dev.tracefix.capture.ffm.LibBpfFailure.failure;
import static dev.tracefix.capture.ffm.LibBpfFailure.internal;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One BPF object through its whole life: open, configure, load, attach, poll, destroy. Each stage
 * fails with its own {@link CaptureException} (kind LIBBPF) quoting libbpf's message and log (which
 * holds the verifier log when load fails). Its maps and global variables are reached through {@link
 * #maps()}. Not thread-safe: one capture thread drives it.
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

  private final Arena arena = Arena.ofShared();
  private final Path objectFile;
  private final MemorySegment object;
  private final BpfMaps maps;
  private final List<MemorySegment> links = new ArrayList<>();
  private final RingRecords records = new RingRecords();
  private RingReader ring;
  private boolean loaded;
  private boolean closed;

  private BpfSession(Path objectFile, MemorySegment object) {
    this.objectFile = objectFile;
    this.object = object;
    this.maps = new BpfMaps(this, objectFile, object);
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
   * The object's maps and {@code .rodata} variables: set before {@link #load}, read and written
   * after it until {@link #close}.
   */
  public BpfMaps maps() {
    return maps;
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
    return attachPrograms((section, program) -> wanted.test(section));
  }

  /**
   * Stage ATTACH: attaches the programs {@code wanted} accepts by section and program name (two
   * programs may hang off one tracepoint); returns their sections.
   */
  public List<String> attachPrograms(java.util.function.BiPredicate<String, String> wanted) {
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
        String name = LibBpf.string((MemorySegment) LibBpf.H.PROGRAM_NAME.invokeExact(prog));
        if (needsTarget(section) || !wanted.test(section, name)) {
          continue;
        }
        LibBpfLog.drain();
        MemorySegment errno = LibBpf.errnoState(call);
        MemorySegment link = (MemorySegment) LibBpf.H.PROGRAM_ATTACH.invokeExact(errno, prog);
        if (link.equals(MemorySegment.NULL)) {
          throw attachFailure(objectFile, section, -LibBpf.errno(errno));
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
      MemorySegment map = maps.findMap(mapName, Stage.POLL);
      int size = (int) LibBpf.H.MAP_MAX_ENTRIES.invokeExact(map);
      ring = RingReader.map(maps.mapFd(mapName, Stage.POLL), Integer.toUnsignedLong(size), arena);
    } catch (RingReader.RingMapException e) {
      throw failure(Stage.POLL, objectFile, "mmap(" + mapName + ")", -e.errno);
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.POLL, t);
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
        ring.consume(records::onRecord, MAX_BATCH);
      }
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(stage, t);
    }
    return records.takeBatch();
  }

  /**
   * Records read from the ring so far, indexed by kernel type id; index 0 counts records of an
   * unknown type or too short to carry one.
   */
  public long[] consumedByType() {
    return records.consumedByType();
  }

  /**
   * Attaches program {@code program} by its own section (e.g. a tracepoint) as a probe that can be
   * destroyed alone ({@link #destroy}); a failure leaves the probes already attached in place.
   */
  public Link attachProgramLink(String program) {
    requireLoaded(Stage.ATTACH);
    try (Arena c = Arena.ofConfined()) {
      MemorySegment prog =
          (MemorySegment) LibBpf.H.FIND_PROGRAM.invokeExact(object, c.allocateFrom(program));
      if (prog.equals(MemorySegment.NULL)) {
        throw new CaptureException(
            Kind.LIBBPF,
            "libbpf attach of " + objectFile + " failed: no program named '" + program + "'");
      }
      String section = LibBpf.string((MemorySegment) LibBpf.H.PROGRAM_SECTION.invokeExact(prog));
      LibBpfLog.drain();
      MemorySegment errno = LibBpf.errnoState(c);
      MemorySegment link = (MemorySegment) LibBpf.H.PROGRAM_ATTACH.invokeExact(errno, prog);
      if (link.equals(MemorySegment.NULL)) {
        throw attachFailure(objectFile, section, -LibBpf.errno(errno));
      }
      links.add(link);
      return new Link(link);
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.ATTACH, t);
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

  /** A stage that must come before load (configuration) fails after load or close. */
  void requireNotLoaded(Stage stage) {
    if (loaded || closed) {
      throw new CaptureException(Kind.INTERNAL, stage + " after load or close");
    }
  }

  /** A stage that needs the kernel objects (maps, programs) fails before load or after close. */
  void requireLoaded(Stage stage) {
    if (!loaded || closed) {
      throw new CaptureException(Kind.INTERNAL, stage + " before load or after close");
    }
  }
}

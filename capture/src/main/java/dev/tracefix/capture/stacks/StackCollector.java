package dev.tracefix.capture.stacks;

import dev.tracefix.capture.SafeStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns the kernel's stack ids into symbolized {@link SafeStack}s, each delivered once per capture
 * before the first event that names it. Kernel frames come from /proc/kallsyms; user frames from
 * the process's mappings and the ELF symbols of the mapped files; frames in anonymous executable
 * memory (a JIT's code) from {@code /tmp/perf-PID.map}. A JVM writes that map only at exit or when
 * asked, so a stack with a frame only a perf map can name is {@link Deferred}: its raw addresses
 * stay in this object's memory until {@link #complete} (at the process's exit or the end of the
 * capture). Raw addresses never leave this class. Not thread-safe: the capture thread owns it.
 */
public final class StackCollector {
  /** Reads one stack of the kernel's stack map: its instruction pointers, leaf first. */
  public interface StackReader {
    long[] frames(int stackId);
  }

  /** What an event's stack became: an id now, or later. */
  public sealed interface Ref permits Ready, Deferred {}

  /**
   * @param stackId the stack's id, or 0 for none
   */
  public record Ready(long stackId) implements Ref {}

  /** A stack with frames only a perf map can name; complete it once that map is written. */
  public static final class Deferred implements Ref {
    private final int tgid;
    private final List<Object> frames; // String (named) or Long (raw, unnamed yet)
    private final List<String> kernelFrames;
    private final String buildId;

    private Deferred(int tgid, List<Object> frames, List<String> kernelFrames, String buildId) {
      this.tgid = tgid;
      this.frames = frames;
      this.kernelFrames = kernelFrames;
      this.buildId = buildId;
    }

    @Override
    public String toString() {
      return "Deferred[redacted]";
    }
  }

  private final StackReader reader;
  private final Consumer<SafeStack> sink;
  private final Path procRoot;
  private final Path perfMapDir;
  private final Map<Integer, long[]> raw = new HashMap<>();
  private final Map<Integer, ProcessMaps> maps = new HashMap<>();
  private final Map<Integer, PerfMap> perfMaps = new HashMap<>();
  private final Map<String, ModuleSymbols> modules = new HashMap<>();
  private final Set<Long> delivered = new HashSet<>();

  public StackCollector(StackReader reader, Consumer<SafeStack> sink) {
    this(reader, sink, Path.of("/proc"), Path.of("/tmp"));
  }

  StackCollector(StackReader reader, Consumer<SafeStack> sink, Path procRoot, Path perfMapDir) {
    this.reader = reader;
    this.sink = sink;
    this.procRoot = procRoot;
    this.perfMapDir = perfMapDir;
  }

  /** The stack of an event of process {@code tgid}; ids below 0 mean "none". */
  public Ref resolve(int tgid, int userStackId, int kernelStackId, long leafReturn) {
    if (userStackId < 0 && kernelStackId < 0) {
      return new Ready(0);
    }
    List<String> kernel = new ArrayList<>();
    if (kernelStackId >= 0) {
      KernelSymbols k = KernelSymbols.system();
      for (long ip : rawStack(kernelStackId)) {
        kernel.add(k.name(ip));
      }
    }
    List<Object> frames = new ArrayList<>();
    String buildId = null;
    boolean pending = false;
    if (userStackId >= 0) {
      long[] ips = withLeafCaller(tgid, rawStack(userStackId), leafReturn);
      for (int i = 0; i < ips.length; i++) {
        Object frame = userFrame(tgid, ips[i], i > 0);
        if (i == 0 && frame instanceof String) {
          ProcessMaps.Mapping m = mapping(tgid, ips[i]);
          buildId = m != null && m.fileBacked() ? module(m.path()).buildId() : null;
        }
        pending |= frame instanceof Long;
        frames.add(frame);
      }
    }
    Deferred d = new Deferred(tgid, frames, kernel, buildId);
    return pending ? d : new Ready(complete(d));
  }

  /** Names what a perf map now names ({@code [unknown]} for the rest) and returns the id. */
  public long complete(Deferred d) {
    List<String> names = new ArrayList<>(d.frames.size());
    for (Object f : d.frames) {
      if (f instanceof Long ip) {
        String jit = perfMap(d.tgid).name(ip);
        names.add(jit == null ? Frames.UNKNOWN : Frames.JIT + "!" + jit);
      } else {
        names.add((String) f);
      }
    }
    long id = StackIds.of(names, d.kernelFrames);
    if (delivered.add(id)) {
      sink.accept(new SafeStack(id, names, d.kernelFrames, d.buildId));
    }
    return id;
  }

  /** Forgets the mappings of a process that exited (its pid may come back as another process). */
  public void forget(int tgid) {
    maps.remove(tgid);
    perfMaps.remove(tgid);
  }

  private long[] rawStack(int id) {
    return raw.computeIfAbsent(id, reader::frames);
  }

  /** A file-backed name now, the raw address (a Long) when only a perf map could name it. */
  private Object userFrame(int tgid, long ip, boolean returnAddress) {
    ProcessMaps.Mapping m = mapping(tgid, ip);
    if (m != null && m.fileBacked()) {
      long offset = ip - m.start() + m.fileOffset();
      return module(m.path()).name(offset, returnAddress ? offset - 1 : offset);
    }
    String jit = perfMap(tgid).name(ip);
    return jit != null ? Frames.JIT + "!" + jit : (Object) ip;
  }

  /**
   * A frame-pointer walk skips the caller of a leaf function that keeps no frame (a libc syscall
   * wrapper): its return address is still the word at the stack pointer. It is inserted when it
   * lies in an executable file mapping right after a call instruction.
   */
  private long[] withLeafCaller(int tgid, long[] ips, long leaf) {
    if (leaf == 0 || ips.length == 0 || (ips.length > 1 && ips[1] == leaf)) {
      return ips;
    }
    ProcessMaps.Mapping m = mapping(tgid, leaf);
    if (m == null || !m.fileBacked() || !m.executable()) {
      return ips;
    }
    if (!module(m.path()).followsCall(leaf - m.start() + m.fileOffset())) {
      return ips;
    }
    long[] out = new long[ips.length + 1];
    out[0] = ips[0];
    out[1] = leaf;
    System.arraycopy(ips, 1, out, 2, ips.length - 1);
    return out;
  }

  private ProcessMaps.Mapping mapping(int tgid, long ip) {
    ProcessMaps known = maps.get(tgid);
    ProcessMaps.Mapping m = known == null ? null : known.find(ip);
    if (m == null) {
      // New process, or a library mapped since: read the mappings again (a gone process keeps
      // what was read while it lived).
      ProcessMaps fresh = ProcessMaps.read(procRoot, tgid);
      if (!fresh.mappings().isEmpty()) {
        maps.put(tgid, fresh);
        m = fresh.find(ip);
      }
    }
    return m;
  }

  private ModuleSymbols module(String path) {
    return modules.computeIfAbsent(path, p -> ModuleSymbols.load(Path.of(p)));
  }

  private PerfMap perfMap(int tgid) {
    return perfMaps.computeIfAbsent(
        tgid, t -> new PerfMap(perfMapDir.resolve("perf-" + t + ".map")));
  }
}

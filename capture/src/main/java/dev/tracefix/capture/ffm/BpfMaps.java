package dev.tracefix.capture.ffm;

import static dev.tracefix.capture.ffm.LibBpfFailure.failure;
import static dev.tracefix.capture.ffm.LibBpfFailure.internal;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import dev.tracefix.capture.ffm.BpfSession.Stage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The maps and global variables of one {@link BpfSession}'s object: {@code .rodata} settings and
 * map sizes before load; filter keys, runtime masks, counters and stack traces after it.
 *
 * <p>Reached as {@code bpf.maps()} rather than through delegating methods on the session: a call
 * site then says which half of the object it uses (its lifecycle, or its data), and code that only
 * reads or writes maps can be handed this class without the power to attach, poll or close. The
 * stage rules are the session's: writes to {@code .rodata} and sizes only before load, map contents
 * only after it and before close; a failure names the stage as before the split.
 */
public final class BpfMaps {
  private static final long BPF_ANY = 0;

  private final BpfSession session;
  private final Path objectFile;
  private final MemorySegment object;

  BpfMaps(BpfSession session, Path objectFile, MemorySegment object) {
    this.session = session;
    this.objectFile = objectFile;
    this.object = object;
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

  /** Stage CONFIGURE: sets element {@code index} of a {@code const volatile __u64[]} in .rodata. */
  public void setRodataU64(String variable, int index, long value) {
    rodata(variable, 8L * (index + 1)).set(JAVA_LONG_UNALIGNED, 8L * index, value);
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
    session.requireNotLoaded(Stage.CONFIGURE);
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
    session.requireNotLoaded(Stage.CONFIGURE);
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

  /** After load: adds a key with a one-byte value to a hash map of u32 keys (the tgid filter). */
  public void putU32(String mapName, int key) {
    update(mapName, c -> c.allocateFrom(JAVA_INT, key), c -> c.allocateFrom(JAVA_BYTE, (byte) 1));
  }

  /** After load: adds a key with a one-byte value to a hash map of u64 keys (the cgroup filter). */
  public void putU64(String mapName, long key) {
    update(mapName, c -> c.allocateFrom(JAVA_LONG, key), c -> c.allocateFrom(JAVA_BYTE, (byte) 1));
  }

  /** After load: sets one u32 of an array map with u32 keys (e.g. the stack_types bitmask). */
  public void putArrayU32(String mapName, int index, int value) {
    update(mapName, c -> c.allocateFrom(JAVA_INT, index), c -> c.allocateFrom(JAVA_INT, value));
  }

  /** Writes one element (BPF_ANY: created or replaced), key and value allocated in the call. */
  private void update(
      String mapName, Function<Arena, MemorySegment> key, Function<Arena, MemorySegment> value) {
    session.requireLoaded(Stage.CONFIGURE);
    try (Arena call = Arena.ofConfined()) {
      int fd = mapFd(mapName, Stage.CONFIGURE);
      MemorySegment errno = LibBpf.errnoState(call);
      MemorySegment k = key.apply(call);
      MemorySegment v = value.apply(call);
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
    session.requireLoaded(Stage.POLL);
    try (Arena call = Arena.ofConfined()) {
      MemorySegment values = call.allocate(JAVA_LONG, depth);
      if (lookup(call, mapName, id, values) != 0) {
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

  /** Sums every slot of a per-CPU u64 array over all possible CPUs, slot by slot. */
  public long[] sumPerCpuSlots(String mapName, int slots) {
    long[] sums = new long[slots];
    for (int i = 0; i < slots; i++) {
      sums[i] = sumPerCpuU64(mapName, i);
    }
    return sums;
  }

  /**
   * The CPUs the kernel may run probes on (libbpf_num_possible_cpus): the slots of a per-CPU map,
   * whatever this process's own CPU affinity.
   */
  public static int possibleCpus() {
    try {
      int cpus = (int) LibBpf.H.NUM_POSSIBLE_CPUS.invokeExact();
      if (cpus <= 0) {
        throw new CaptureException(
            Kind.LIBBPF, "libbpf_num_possible_cpus failed: " + LibBpf.strerror(cpus));
      }
      return cpus;
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw new CaptureException(Kind.INTERNAL, "libbpf_num_possible_cpus failed: " + t, t);
    }
  }

  /** Sums a per-CPU u64 array slot over every possible CPU (exact: no sampling, no races). */
  public long sumPerCpuU64(String mapName, int index) {
    session.requireLoaded(Stage.POLL);
    try (Arena call = Arena.ofConfined()) {
      int cpus = possibleCpus();
      MemorySegment values = call.allocate(JAVA_LONG, cpus);
      int rc = lookup(call, mapName, index, values);
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

  /** One entry of a per-CPU hash map: its key and each possible CPU's value, in CPU order. */
  public interface PerCpuEntry {
    void accept(MemorySegment key, MemorySegment[] valuesByCpu);
  }

  /**
   * Reads every entry of a per-CPU hash map (keys of {@code keySize} bytes, values of {@code
   * valueSize}), handing each to {@code entry}; the segments are valid during the call only. Keys
   * added while it walks may be missed and a key removed may end the walk early (get_next_key
   * restarts from the first key when the current one is gone), so a caller that needs every
   * increment never deletes while probes run.
   */
  public void forEachPerCpu(String mapName, int keySize, int valueSize, PerCpuEntry entry) {
    session.requireLoaded(Stage.POLL);
    try (Arena call = Arena.ofConfined()) {
      int fd = mapFd(mapName, Stage.POLL);
      int cpus = possibleCpus();
      long slot = (valueSize + 7) & ~7L; // per-CPU values are 8-byte aligned, CPU after CPU
      MemorySegment values = call.allocate(slot * cpus, 8);
      MemorySegment key = call.allocate(keySize, 8);
      MemorySegment next = call.allocate(keySize, 8);
      MemorySegment errno = LibBpf.errnoState(call);
      MemorySegment[] byCpu = new MemorySegment[cpus];
      for (int cpu = 0; cpu < cpus; cpu++) {
        byCpu[cpu] = values.asSlice(cpu * slot, valueSize);
      }
      MemorySegment previous = MemorySegment.NULL;
      while ((int) LibBpf.H.MAP_GET_NEXT_KEY.invokeExact(errno, fd, previous, next) == 0) {
        MemorySegment.copy(next, 0, key, 0, keySize);
        if ((int) LibBpf.H.MAP_LOOKUP_ELEM.invokeExact(errno, fd, key, values) == 0) {
          entry.accept(key, byCpu);
        }
        previous = key;
      }
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.POLL, t);
    }
  }

  /**
   * Deletes {@code keys} (each {@code keySize} bytes) from a hash map; returns how many were there.
   * Call it after a {@link #forEachPerCpu} walk, not during one (a deleted key ends a walk early).
   */
  public int deleteKeys(String mapName, int keySize, List<byte[]> keys) {
    session.requireLoaded(Stage.POLL);
    try (Arena call = Arena.ofConfined()) {
      int fd = mapFd(mapName, Stage.POLL);
      MemorySegment errno = LibBpf.errnoState(call);
      MemorySegment key = call.allocate(keySize, 8);
      int deleted = 0;
      for (byte[] k : keys) {
        MemorySegment.copy(k, 0, key, JAVA_BYTE, 0, keySize);
        if ((int) LibBpf.H.MAP_DELETE_ELEM.invokeExact(errno, fd, key) == 0) {
          deleted++;
        }
      }
      return deleted;
    } catch (CaptureException e) {
      throw e;
    } catch (Throwable t) {
      throw internal(Stage.POLL, t);
    }
  }

  /** Reads element {@code key} (u32) of a map into {@code values}; libbpf's result, 0 if found. */
  private int lookup(Arena call, String mapName, int key, MemorySegment values) throws Throwable {
    int fd = mapFd(mapName, Stage.POLL);
    MemorySegment errno = LibBpf.errnoState(call);
    return (int)
        LibBpf.H.MAP_LOOKUP_ELEM.invokeExact(errno, fd, call.allocateFrom(JAVA_INT, key), values);
  }

  /** The libbpf handle of map {@code name}; a failure of {@code stage} when there is none. */
  MemorySegment findMap(String name, Stage stage) throws Throwable {
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

  /**
   * The kernel fd of map {@code name} (after load); a failure of {@code stage} when it has none.
   */
  int mapFd(String name, Stage stage) throws Throwable {
    int fd = (int) LibBpf.H.MAP_FD.invokeExact(findMap(name, stage));
    if (fd < 0) {
      throw failure(stage, objectFile, "bpf_map__fd(" + name + ")", fd);
    }
    return fd;
  }
}

package dev.tracefix.capture.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * Downcall handles into libbpf.so.1 (and libc: vsnprintf for libbpf's log, mmap/poll for the ring,
 * umask for the CLI). Every native call of tracefix goes through this class; calls that report
 * failure through errno capture it.
 */
final class LibBpf {
  static final String LIBRARY = "libbpf.so.1";

  private static final Linker LINKER = Linker.nativeLinker();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final VarHandle ERRNO_HANDLE =
      Linker.Option.captureStateLayout()
          .varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

  /** Resolved lazily so that merely loading capture classes never needs libbpf. */
  private static final class Holder {
    static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
  }

  private LibBpf() {}

  /** Empty if libbpf.so.1 can be loaded, else why not. */
  static Optional<String> unavailableReason() {
    try {
      Holder.LOOKUP.find("bpf_object__open_file").orElseThrow();
      return Optional.empty();
    } catch (Throwable e) {
      return Optional.of(
          LIBRARY + " cannot be loaded (" + e.getMessage() + "); install libbpf1 / libbpf-dev");
    }
  }

  private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
    MemorySegment symbol =
        Holder.LOOKUP
            .find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError(LIBRARY + " has no symbol " + name));
    return LINKER.downcallHandle(symbol, fd, options);
  }

  private static MethodHandle libc(String name, FunctionDescriptor fd, Linker.Option... options) {
    return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
  }

  static final class H {
    static final MethodHandle OPEN_FILE =
        handle("bpf_object__open_file", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS), ERRNO);
    static final MethodHandle FIND_MAP =
        handle("bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle MAP_SET_MAX_ENTRIES =
        handle("bpf_map__set_max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle MAP_INITIAL_VALUE =
        handle("bpf_map__initial_value", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle OBJECT_LOAD =
        handle("bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS), ERRNO);
    static final MethodHandle NEXT_PROGRAM =
        handle("bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle PROGRAM_NAME =
        handle("bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle PROGRAM_SECTION =
        handle("bpf_program__section_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle PROGRAM_ATTACH =
        handle("bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS), ERRNO);
    static final MethodHandle FIND_PROGRAM =
        handle(
            "bpf_object__find_program_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle ATTACH_UPROBE_OPTS =
        handle(
            "bpf_program__attach_uprobe_opts",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS),
            ERRNO);
    static final MethodHandle LINK_DESTROY =
        handle("bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle MAP_FD =
        handle("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle MAP_UPDATE_ELEM =
        handle(
            "bpf_map_update_elem",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG),
            ERRNO);
    static final MethodHandle MAP_LOOKUP_ELEM =
        handle(
            "bpf_map_lookup_elem",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
            ERRNO);
    static final MethodHandle MAP_DELETE_ELEM =
        handle("bpf_map_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), ERRNO);
    static final MethodHandle MAP_GET_NEXT_KEY =
        handle(
            "bpf_map_get_next_key",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
            ERRNO);
    static final MethodHandle OBJECT_CLOSE =
        handle("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle STRERROR =
        handle("libbpf_strerror", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle SET_PRINT =
        handle("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle NUM_POSSIBLE_CPUS =
        handle("libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
    static final MethodHandle OBJECT_BTF =
        handle("bpf_object__btf", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle BTF_FIND_BY_NAME_KIND =
        handle(
            "btf__find_by_name_kind", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle BTF_TYPE_BY_ID =
        handle("btf__type_by_id", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle BTF_NAME_BY_OFFSET =
        handle("btf__name_by_offset", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle MAP_MAX_ENTRIES =
        handle("bpf_map__max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle MMAP =
        libc(
            "mmap",
            FunctionDescriptor.of(
                ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            ERRNO);
    static final MethodHandle MUNMAP =
        libc("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle POLL =
        libc("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO);
    static final MethodHandle GETPAGESIZE = libc("getpagesize", FunctionDescriptor.of(JAVA_INT));
    static final MethodHandle VSNPRINTF =
        libc("vsnprintf", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));

    private H() {}
  }

  /**
   * libc calls that need no libbpf: kept apart from {@link H}, whose first use loads libbpf, so the
   * CLI can set its umask on machines (and in commands) that never capture.
   */
  static final class Libc {
    static final MethodHandle UMASK = libc("umask", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Libc() {}
  }

  /** A segment for the errno capture state of one call. */
  static MemorySegment errnoState(Arena arena) {
    return arena.allocate(Linker.Option.captureStateLayout());
  }

  static int errno(MemorySegment state) {
    return (int) ERRNO_HANDLE.get(state, 0L);
  }

  /** libbpf's text for an error code (libbpf codes and plain errno values alike). */
  static String strerror(int err) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(256);
      int rc = (int) H.STRERROR.invokeExact(Math.abs(err), buf, 256L);
      String text = buf.getString(0);
      return rc == 0 || !text.isEmpty() ? text : "error " + err;
    } catch (Throwable t) {
      return "error " + err;
    }
  }

  /** A C string at a native address, or null for NULL. */
  static String string(MemorySegment pointer) {
    return pointer.equals(MemorySegment.NULL)
        ? null
        : pointer.reinterpret(Long.MAX_VALUE).getString(0);
  }
}

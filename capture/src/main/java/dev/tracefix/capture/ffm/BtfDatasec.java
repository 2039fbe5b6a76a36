package dev.tracefix.capture.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.OptionalLong;

/**
 * Finds where a global variable lives inside a data section (e.g. {@code .rodata}) by reading the
 * object's BTF, the same information bpftool uses to generate skeletons.
 */
final class BtfDatasec {
  private static final int BTF_KIND_DATASEC = 15;
  private static final long BTF_TYPE_SIZE = 12; // name_off, info, size/type
  private static final long VAR_SECINFO_SIZE = 12; // type, offset, size

  private BtfDatasec() {}

  /** Offset of {@code variable} in {@code section}, or empty if the BTF does not list it. */
  static OptionalLong offsetOf(MemorySegment object, String section, String variable)
      throws Throwable {
    MemorySegment btf = (MemorySegment) LibBpf.H.OBJECT_BTF.invokeExact(object);
    if (btf.equals(MemorySegment.NULL)) {
      return OptionalLong.empty();
    }
    int id;
    try (Arena arena = Arena.ofConfined()) {
      id =
          (int)
              LibBpf.H.BTF_FIND_BY_NAME_KIND.invokeExact(
                  btf, arena.allocateFrom(section), BTF_KIND_DATASEC);
    }
    if (id <= 0) {
      return OptionalLong.empty();
    }
    MemorySegment datasec =
        ((MemorySegment) LibBpf.H.BTF_TYPE_BY_ID.invokeExact(btf, id)).reinterpret(BTF_TYPE_SIZE);
    int vlen = datasec.get(JAVA_INT, 4) & 0xffff;
    MemorySegment infos = datasec.reinterpret(BTF_TYPE_SIZE + vlen * VAR_SECINFO_SIZE);
    for (int i = 0; i < vlen; i++) {
      long at = BTF_TYPE_SIZE + i * VAR_SECINFO_SIZE;
      int varType = infos.get(JAVA_INT, at);
      int offset = infos.get(JAVA_INT, at + 4);
      MemorySegment var =
          ((MemorySegment) LibBpf.H.BTF_TYPE_BY_ID.invokeExact(btf, varType))
              .reinterpret(BTF_TYPE_SIZE);
      String name =
          LibBpf.string(
              (MemorySegment) LibBpf.H.BTF_NAME_BY_OFFSET.invokeExact(btf, var.get(JAVA_INT, 0)));
      if (variable.equals(name)) {
        return OptionalLong.of(Integer.toUnsignedLong(offset));
      }
    }
    return OptionalLong.empty();
  }
}

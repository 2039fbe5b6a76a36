package dev.tracefix.capture.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Finds where a function's code lies in an ELF file, as a uprobe needs it: the file offset, not the
 * virtual address. The symbol is looked up in {@code .symtab} and then {@code .dynsym} (defined
 * functions only), and its address translated through the PT_LOAD segment that contains it: {@code
 * offset = st_value - p_vaddr + p_offset}. That holds alike for fixed-address executables, PIE
 * executables and shared libraries (their vaddrs start near 0, but the text segment's vaddr and
 * offset may still differ).
 */
public final class ElfSymbols {
  private static final int PT_LOAD = 1;
  private static final int SHT_SYMTAB = 2;
  private static final int SHT_DYNSYM = 11;
  private static final int STT_FUNC = 2;
  private static final int STT_GNU_IFUNC = 10;
  private static final int SHN_UNDEF = 0;

  /** Symbol tables of real programs are a few MiB at most; more is a corrupt header. */
  private static final long MAX_TABLE_BYTES = 256L << 20;

  private ElfSymbols() {}

  /** Thrown when the file is not an ELF object this reader understands. */
  public static final class NotElfException extends IOException {
    NotElfException(String message) {
      super(message);
    }
  }

  private record Segment(long vaddr, long memsz, long offset) {}

  /**
   * The file offset of the defined function {@code symbol}, or empty when neither symbol table
   * defines it (stripped, misspelt, or only imported from a library).
   */
  public static OptionalLong fileOffsetOf(Path elf, String symbol) throws IOException {
    try (FileChannel ch = FileChannel.open(elf, StandardOpenOption.READ)) {
      ElfFile.Header header =
          ElfFile.header(ch).orElseThrow(() -> new NotElfException(elf + " is not an ELF file"));
      boolean is64 = header.is64();
      ByteOrder order = header.order();
      List<Segment> loads = loadSegments(ch, header);
      List<ByteBuffer> sections = ElfFile.sectionHeaders(ch, header);
      byte[] wanted = symbol.getBytes(StandardCharsets.UTF_8);
      for (int tableType : new int[] {SHT_SYMTAB, SHT_DYNSYM}) {
        for (ByteBuffer sh : sections) {
          if (sh.getInt(4) != tableType) {
            continue;
          }
          int link = sh.getInt(is64 ? 40 : 24);
          if (link <= 0 || link >= sections.size()) {
            continue;
          }
          OptionalLong value = findValue(ch, is64, order, sh, sections.get(link), wanted);
          if (value.isPresent()) {
            OptionalLong offset = fileOffset(loads, value.getAsLong());
            if (offset.isPresent()) {
              return offset;
            }
          }
        }
      }
      return OptionalLong.empty();
    }
  }

  /** A defined function: where its code starts in the file, how long it is, its name. */
  public record Function(long fileOffset, long size, String name) {}

  /**
   * Every defined function of {@code .symtab} and {@code .dynsym}, by file offset (ascending), for
   * naming addresses of a running process: {@code file offset = address - mapping start + mapping
   * offset}. Empty for a stripped file.
   */
  public static List<Function> functions(Path elf) throws IOException {
    try (FileChannel ch = FileChannel.open(elf, StandardOpenOption.READ)) {
      ElfFile.Header header =
          ElfFile.header(ch)
              .filter(ElfFile.Header::is64)
              .orElseThrow(() -> new NotElfException(elf + " is not a 64-bit ELF file"));
      ByteOrder order = header.order();
      List<Segment> loads = loadSegments(ch, header);
      List<ByteBuffer> sections = ElfFile.sectionHeaders(ch, header);
      java.util.Map<Long, Function> byOffset = new java.util.TreeMap<>();
      for (int tableType : new int[] {SHT_SYMTAB, SHT_DYNSYM}) {
        for (ByteBuffer sh : sections) {
          int link = sh.getInt(40);
          if (sh.getInt(4) != tableType || link <= 0 || link >= sections.size()) {
            continue;
          }
          ByteBuffer strtab = sections.get(link);
          long size = sh.getLong(32);
          long entsize = sh.getLong(56);
          long strSize = strtab.getLong(32);
          if (entsize <= 0 || size > MAX_TABLE_BYTES || strSize > MAX_TABLE_BYTES) {
            continue;
          }
          ByteBuffer syms = ElfFile.readAt(ch, sh.getLong(24), (int) size).order(order);
          ByteBuffer strings = ElfFile.readAt(ch, strtab.getLong(24), (int) strSize);
          for (long at = 0; at + entsize <= syms.limit(); at += entsize) {
            int i = (int) at;
            int info = Byte.toUnsignedInt(syms.get(i + 4));
            int shndx = Short.toUnsignedInt(syms.getShort(i + 6));
            int kind = info & 0xf;
            long value = syms.getLong(i + 8);
            if ((kind != STT_FUNC && kind != STT_GNU_IFUNC) || shndx == SHN_UNDEF || value == 0) {
              continue;
            }
            OptionalLong offset = fileOffset(loads, value);
            if (offset.isPresent()) {
              // .symtab first: its (local) names win over .dynsym aliases at one offset.
              byOffset.putIfAbsent(
                  offset.getAsLong(),
                  new Function(
                      offset.getAsLong(), syms.getLong(i + 16), cString(strings, syms.getInt(i))));
            }
          }
        }
      }
      return List.copyOf(byOffset.values());
    }
  }

  /** The PT_LOAD segments: where each part of the address space comes from in the file. */
  private static List<Segment> loadSegments(FileChannel ch, ElfFile.Header header)
      throws IOException {
    List<Segment> loads = new ArrayList<>();
    for (ByteBuffer ph : ElfFile.programHeaders(ch, header)) {
      if (ph.getInt(0) == PT_LOAD) {
        loads.add(
            header.is64()
                ? new Segment(ph.getLong(16), ph.getLong(40), ph.getLong(8))
                : new Segment(
                    Integer.toUnsignedLong(ph.getInt(8)),
                    Integer.toUnsignedLong(ph.getInt(20)),
                    Integer.toUnsignedLong(ph.getInt(4))));
      }
    }
    return loads;
  }

  /** Where virtual address {@code value} lies in the file: {@code value - p_vaddr + p_offset}. */
  private static OptionalLong fileOffset(List<Segment> loads, long value) {
    for (Segment s : loads) {
      if (value >= s.vaddr() && value < s.vaddr() + s.memsz()) {
        return OptionalLong.of(value - s.vaddr() + s.offset());
      }
    }
    return OptionalLong.empty();
  }

  private static String cString(ByteBuffer strings, int at) {
    if (at < 0 || at >= strings.limit()) {
      return "";
    }
    int end = at;
    while (end < strings.limit() && strings.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - at];
    strings.get(at, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** st_value of the defined function named {@code wanted} in one symbol table. */
  private static OptionalLong findValue(
      FileChannel ch,
      boolean is64,
      ByteOrder order,
      ByteBuffer table,
      ByteBuffer strtab,
      byte[] wanted)
      throws IOException {
    long offset = is64 ? table.getLong(24) : Integer.toUnsignedLong(table.getInt(16));
    long size = is64 ? table.getLong(32) : Integer.toUnsignedLong(table.getInt(20));
    long entsize = is64 ? table.getLong(56) : Integer.toUnsignedLong(table.getInt(36));
    long strOffset = is64 ? strtab.getLong(24) : Integer.toUnsignedLong(strtab.getInt(16));
    long strSize = is64 ? strtab.getLong(32) : Integer.toUnsignedLong(strtab.getInt(20));
    if (entsize <= 0 || size > MAX_TABLE_BYTES || strSize > MAX_TABLE_BYTES) {
      return OptionalLong.empty();
    }
    ByteBuffer syms = ElfFile.readAt(ch, offset, (int) size).order(order);
    ByteBuffer strings = ElfFile.readAt(ch, strOffset, (int) strSize);
    for (long at = 0; at + entsize <= syms.limit(); at += entsize) {
      int i = (int) at;
      int name = syms.getInt(i);
      int info = Byte.toUnsignedInt(syms.get(i + (is64 ? 4 : 12)));
      int shndx = Short.toUnsignedInt(syms.getShort(i + (is64 ? 6 : 14)));
      int kind = info & 0xf;
      if ((kind != STT_FUNC && kind != STT_GNU_IFUNC) || shndx == SHN_UNDEF) {
        continue;
      }
      if (nameEquals(strings, name, wanted)) {
        long value = is64 ? syms.getLong(i + 8) : Integer.toUnsignedLong(syms.getInt(i + 4));
        return OptionalLong.of(value);
      }
    }
    return OptionalLong.empty();
  }

  private static boolean nameEquals(ByteBuffer strings, int at, byte[] wanted) {
    if (at < 0 || at + wanted.length >= strings.limit()) {
      return false;
    }
    for (int k = 0; k < wanted.length; k++) {
      if (strings.get(at + k) != wanted[k]) {
        return false;
      }
    }
    return strings.get(at + wanted.length) == 0;
  }
}

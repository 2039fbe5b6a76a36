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
 * functions only), and its address translated through the PT_LOAD segment that contains it:
 * {@code offset = st_value - p_vaddr + p_offset}. That holds alike for fixed-address executables,
 * PIE executables and shared libraries (their vaddrs start near 0, but the text segment's vaddr and
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
      ByteBuffer ident = readAt(ch, 0, 64);
      if (ident.limit() < 52 || ident.getInt(0) != 0x7f454c46 /* \x7fELF, big-endian read */) {
        throw new NotElfException(elf + " is not an ELF file");
      }
      boolean is64 = ident.get(4) == 2;
      ByteOrder order = ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      ByteBuffer h = ident.order(order);
      long phoff = is64 ? h.getLong(0x20) : Integer.toUnsignedLong(h.getInt(0x1c));
      long shoff = is64 ? h.getLong(0x28) : Integer.toUnsignedLong(h.getInt(0x20));
      int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 0x36 : 0x2a));
      int phnum = Short.toUnsignedInt(h.getShort(is64 ? 0x38 : 0x2c));
      int shentsize = Short.toUnsignedInt(h.getShort(is64 ? 0x3a : 0x2e));
      int shnum = Short.toUnsignedInt(h.getShort(is64 ? 0x3c : 0x30));

      List<Segment> loads = new ArrayList<>();
      for (int i = 0; i < phnum && phoff != 0; i++) {
        ByteBuffer ph = readAt(ch, phoff + (long) i * phentsize, phentsize).order(order);
        if (ph.getInt(0) == PT_LOAD) {
          loads.add(
              is64
                  ? new Segment(ph.getLong(16), ph.getLong(40), ph.getLong(8))
                  : new Segment(
                      Integer.toUnsignedLong(ph.getInt(8)),
                      Integer.toUnsignedLong(ph.getInt(20)),
                      Integer.toUnsignedLong(ph.getInt(4))));
        }
      }
      List<ByteBuffer> sections = new ArrayList<>();
      for (int i = 0; i < shnum && shoff != 0; i++) {
        sections.add(readAt(ch, shoff + (long) i * shentsize, shentsize).order(order));
      }
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
            for (Segment s : loads) {
              long v = value.getAsLong();
              if (v >= s.vaddr() && v < s.vaddr() + s.memsz()) {
                return OptionalLong.of(v - s.vaddr() + s.offset());
              }
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
      ByteBuffer ident = readAt(ch, 0, 64);
      if (ident.limit() < 64 || ident.getInt(0) != 0x7f454c46 || ident.get(4) != 2) {
        throw new NotElfException(elf + " is not a 64-bit ELF file");
      }
      ByteOrder order = ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      ByteBuffer h = ident.order(order);
      long phoff = h.getLong(0x20);
      long shoff = h.getLong(0x28);
      int phentsize = Short.toUnsignedInt(h.getShort(0x36));
      int phnum = Short.toUnsignedInt(h.getShort(0x38));
      int shentsize = Short.toUnsignedInt(h.getShort(0x3a));
      int shnum = Short.toUnsignedInt(h.getShort(0x3c));
      List<Segment> loads = new ArrayList<>();
      for (int i = 0; i < phnum && phoff != 0; i++) {
        ByteBuffer ph = readAt(ch, phoff + (long) i * phentsize, phentsize).order(order);
        if (ph.getInt(0) == PT_LOAD) {
          loads.add(new Segment(ph.getLong(16), ph.getLong(40), ph.getLong(8)));
        }
      }
      List<ByteBuffer> sections = new ArrayList<>();
      for (int i = 0; i < shnum && shoff != 0; i++) {
        sections.add(readAt(ch, shoff + (long) i * shentsize, shentsize).order(order));
      }
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
          ByteBuffer syms = readAt(ch, sh.getLong(24), (int) size).order(order);
          ByteBuffer strings = readAt(ch, strtab.getLong(24), (int) strSize);
          for (long at = 0; at + entsize <= syms.limit(); at += entsize) {
            int i = (int) at;
            int info = Byte.toUnsignedInt(syms.get(i + 4));
            int shndx = Short.toUnsignedInt(syms.getShort(i + 6));
            int kind = info & 0xf;
            long value = syms.getLong(i + 8);
            if ((kind != STT_FUNC && kind != STT_GNU_IFUNC) || shndx == SHN_UNDEF || value == 0) {
              continue;
            }
            for (Segment s : loads) {
              if (value >= s.vaddr() && value < s.vaddr() + s.memsz()) {
                long offset = value - s.vaddr() + s.offset();
                // .symtab first: its (local) names win over .dynsym aliases at one offset.
                byOffset.putIfAbsent(
                    offset, new Function(offset, syms.getLong(i + 16), cString(strings, syms.getInt(i))));
                break;
              }
            }
          }
        }
      }
      return List.copyOf(byOffset.values());
    }
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
      FileChannel ch, boolean is64, ByteOrder order, ByteBuffer table, ByteBuffer strtab,
      byte[] wanted) throws IOException {
    long offset = is64 ? table.getLong(24) : Integer.toUnsignedLong(table.getInt(16));
    long size = is64 ? table.getLong(32) : Integer.toUnsignedLong(table.getInt(20));
    long entsize = is64 ? table.getLong(56) : Integer.toUnsignedLong(table.getInt(36));
    long strOffset = is64 ? strtab.getLong(24) : Integer.toUnsignedLong(strtab.getInt(16));
    long strSize = is64 ? strtab.getLong(32) : Integer.toUnsignedLong(strtab.getInt(20));
    if (entsize <= 0 || size > MAX_TABLE_BYTES || strSize > MAX_TABLE_BYTES) {
      return OptionalLong.empty();
    }
    ByteBuffer syms = readAt(ch, offset, (int) size).order(order);
    ByteBuffer strings = readAt(ch, strOffset, (int) strSize);
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

  private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      int n = ch.read(buf, position + buf.position());
      if (n < 0) {
        break;
      }
    }
    return buf.flip();
  }
}

package dev.tracefix.capture.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads the GNU build id (the NT_GNU_BUILD_ID note) of an ELF file: first from PT_NOTE program
 * headers (what the loader maps), then from SHT_NOTE sections for objects without them.
 */
public final class ElfBuildId {
  private static final int PT_NOTE = 4;
  private static final int SHT_NOTE = 7;
  private static final int NT_GNU_BUILD_ID = 3;

  /** Notes are small; a larger "note" is a corrupt file, not a reason to read megabytes. */
  private static final long MAX_NOTE_BYTES = 1 << 20;

  private ElfBuildId() {}

  /** The build id as lowercase hex, or empty if the file is not ELF or has no build id note. */
  public static Optional<String> read(Path elf) throws IOException {
    try (FileChannel ch = FileChannel.open(elf, StandardOpenOption.READ)) {
      Optional<ElfFile.Header> header = ElfFile.header(ch);
      if (header.isEmpty()) {
        return Optional.empty();
      }
      boolean is64 = header.get().is64();
      ByteOrder order = header.get().order();
      for (ByteBuffer ph : ElfFile.programHeaders(ch, header.get())) {
        if (ph.getInt(0) == PT_NOTE) {
          long offset = is64 ? ph.getLong(8) : Integer.toUnsignedLong(ph.getInt(4));
          long size = is64 ? ph.getLong(32) : Integer.toUnsignedLong(ph.getInt(16));
          Optional<String> id = buildIdIn(ch, offset, size, order);
          if (id.isPresent()) {
            return id;
          }
        }
      }
      // Section headers only for objects whose program headers carry no build id note.
      for (ByteBuffer sh : ElfFile.sectionHeaders(ch, header.get())) {
        if (sh.getInt(4) == SHT_NOTE) {
          long offset = is64 ? sh.getLong(24) : Integer.toUnsignedLong(sh.getInt(16));
          long size = is64 ? sh.getLong(32) : Integer.toUnsignedLong(sh.getInt(20));
          Optional<String> id = buildIdIn(ch, offset, size, order);
          if (id.isPresent()) {
            return id;
          }
        }
      }
      return Optional.empty();
    }
  }

  /** Walks the notes of one segment/section: namesz, descsz, type, name and desc 4-aligned. */
  private static Optional<String> buildIdIn(FileChannel ch, long offset, long size, ByteOrder order)
      throws IOException {
    if (size <= 0 || size > MAX_NOTE_BYTES) {
      return Optional.empty();
    }
    ByteBuffer notes = ElfFile.readAt(ch, offset, (int) size).order(order);
    int pos = 0;
    while (pos + 12 <= notes.limit()) {
      int namesz = notes.getInt(pos);
      int descsz = notes.getInt(pos + 4);
      int type = notes.getInt(pos + 8);
      if (namesz < 0 || descsz < 0) {
        return Optional.empty();
      }
      int nameAt = pos + 12;
      int descAt = nameAt + align4(namesz);
      if (descAt + descsz > notes.limit()) {
        return Optional.empty();
      }
      if (type == NT_GNU_BUILD_ID && namesz == 4 && isGnu(notes, nameAt) && descsz > 0) {
        byte[] desc = new byte[descsz];
        notes.get(descAt, desc);
        return Optional.of(HexFormat.of().formatHex(desc));
      }
      pos = descAt + align4(descsz);
    }
    return Optional.empty();
  }

  private static boolean isGnu(ByteBuffer b, int at) {
    return b.get(at) == 'G' && b.get(at + 1) == 'N' && b.get(at + 2) == 'U' && b.get(at + 3) == 0;
  }

  private static int align4(int n) {
    return (n + 3) & ~3;
  }
}

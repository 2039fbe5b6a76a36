package dev.tracefix.capture.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an ELF file every reader here starts from: the file header, the program headers and
 * the section headers, read positionally from an open channel. 32- and 64-bit, either byte order.
 */
final class ElfFile {
  private static final int MAGIC = 0x7f454c46; // \x7fELF, read big-endian

  private ElfFile() {}

  /** The file header fields the readers use. */
  record Header(
      boolean is64,
      ByteOrder order,
      long phoff,
      long shoff,
      int phentsize,
      int phnum,
      int shentsize,
      int shnum) {}

  /** The file's header, or empty when it is not an ELF file (wrong magic, or cut short). */
  static Optional<Header> header(FileChannel ch) throws IOException {
    ByteBuffer ident = readAt(ch, 0, 64);
    if (ident.limit() < 52 || ident.getInt(0) != MAGIC) {
      return Optional.empty();
    }
    boolean is64 = ident.get(4) == 2;
    if (is64 && ident.limit() < 64) {
      return Optional.empty();
    }
    ByteOrder order = ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer h = ident.order(order);
    return Optional.of(
        new Header(
            is64,
            order,
            is64 ? h.getLong(0x20) : Integer.toUnsignedLong(h.getInt(0x1c)),
            is64 ? h.getLong(0x28) : Integer.toUnsignedLong(h.getInt(0x20)),
            Short.toUnsignedInt(h.getShort(is64 ? 0x36 : 0x2a)),
            Short.toUnsignedInt(h.getShort(is64 ? 0x38 : 0x2c)),
            Short.toUnsignedInt(h.getShort(is64 ? 0x3a : 0x2e)),
            Short.toUnsignedInt(h.getShort(is64 ? 0x3c : 0x30))));
  }

  /** Every program header, in the file's byte order. */
  static List<ByteBuffer> programHeaders(FileChannel ch, Header h) throws IOException {
    List<ByteBuffer> headers = new ArrayList<>();
    for (int i = 0; i < h.phnum() && h.phoff() != 0; i++) {
      headers.add(readAt(ch, h.phoff() + (long) i * h.phentsize(), h.phentsize()).order(h.order()));
    }
    return headers;
  }

  /** Every section header, in the file's byte order. */
  static List<ByteBuffer> sectionHeaders(FileChannel ch, Header h) throws IOException {
    List<ByteBuffer> headers = new ArrayList<>();
    for (int i = 0; i < h.shnum() && h.shoff() != 0; i++) {
      headers.add(readAt(ch, h.shoff() + (long) i * h.shentsize(), h.shentsize()).order(h.order()));
    }
    return headers;
  }

  /** Up to {@code length} bytes at {@code position}; fewer at the end of the file. */
  static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
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

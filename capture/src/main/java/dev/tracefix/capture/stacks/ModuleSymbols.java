package dev.tracefix.capture.stacks;

import dev.tracefix.capture.proc.ElfBuildId;
import dev.tracefix.capture.proc.ElfSymbols;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** The functions and build id of one mapped file, read once per capture. */
final class ModuleSymbols {
  private final Path file;
  private final String module;
  private final long[] starts;
  private final long[] ends;
  private final String[] names;
  private final String buildId;

  private ModuleSymbols(Path file, List<ElfSymbols.Function> functions, String buildId) {
    this.file = file;
    this.module = Frames.moduleName(file.toString());
    this.buildId = buildId;
    starts = new long[functions.size()];
    ends = new long[functions.size()];
    names = new String[functions.size()];
    for (int i = 0; i < starts.length; i++) {
      ElfSymbols.Function f = functions.get(i);
      starts[i] = f.fileOffset();
      ends[i] = f.fileOffset() + Math.max(f.size(), 1);
      names[i] = f.name();
    }
  }

  static ModuleSymbols load(Path file) {
    List<ElfSymbols.Function> functions;
    try {
      functions = ElfSymbols.functions(file);
    } catch (IOException | RuntimeException e) {
      functions = List.of();
    }
    String buildId;
    try {
      buildId = ElfBuildId.read(file).orElse(null);
    } catch (IOException | RuntimeException e) {
      buildId = null;
    }
    return new ModuleSymbols(file, functions, buildId);
  }

  String buildId() {
    return buildId;
  }

  /**
   * {@code module!symbol+0xoff} for a file offset, or {@code module+0xoffset} when no function
   * covers it. {@code lookupOffset} picks the function (a return address minus one: the call),
   * {@code offset} is what the frame shows.
   */
  String name(long offset, long lookupOffset) {
    int i = Frames.floor(starts, lookupOffset);
    // A function with no recorded size still names what follows it up to the next symbol.
    if (i >= 0 && (lookupOffset < ends[i] || ends[i] == starts[i] + 1)) {
      return module + "!" + names[i] + "+0x" + Long.toHexString(offset - starts[i]);
    }
    return module + "+0x" + Long.toHexString(offset);
  }

  /**
   * Whether the code just before file offset {@code offset} is a call instruction, i.e. {@code
   * offset} is a return address: {@code call rel32} (e8), {@code call [rip+disp32]} (ff 15) or
   * {@code call reg} (ff d0-d7).
   */
  boolean followsCall(long offset) {
    if (offset < 6) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(6);
      while (b.hasRemaining() && ch.read(b, offset - 6 + b.position()) > 0) {}
      if (b.position() < 6) {
        return false;
      }
      int e8 = Byte.toUnsignedInt(b.get(1));
      int ff6 = Byte.toUnsignedInt(b.get(0));
      int m6 = Byte.toUnsignedInt(b.get(1));
      int ff2 = Byte.toUnsignedInt(b.get(4));
      int m2 = Byte.toUnsignedInt(b.get(5));
      return e8 == 0xe8 || (ff6 == 0xff && m6 == 0x15) || (ff2 == 0xff && (m2 & 0xf8) == 0xd0);
    } catch (IOException e) {
      return false;
    }
  }
}

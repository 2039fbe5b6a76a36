package dev.tracefix.capture.pipeline;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import dev.tracefix.capture.UprobeTarget;
import dev.tracefix.capture.proc.ElfSymbols;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Turns the user's uprobe targets into what the kernel attaches to, failing early and clearly. */
public final class UprobeResolver {
  private UprobeResolver() {}

  /**
   * One target ready to attach.
   *
   * @param probeId the attach cookie the BPF programs report: 1 + the target's index
   * @param realPath the binary with symlinks resolved (what the kernel attaches to, and what a
   *     process running it shows as its exe, so the hashes of both agree)
   * @param fileOffset where the function's first instruction lies in the file
   */
  public record ResolvedUprobe(UprobeTarget target, int probeId, Path realPath, long fileOffset) {}

  /** Resolves every target in order; the first unusable one is a USER error naming it. */
  public static List<ResolvedUprobe> resolve(List<UprobeTarget> targets) {
    List<ResolvedUprobe> resolved = new ArrayList<>();
    for (UprobeTarget t : targets) {
      resolved.add(resolve(t, resolved.size() + 1));
    }
    return List.copyOf(resolved);
  }

  static ResolvedUprobe resolve(UprobeTarget target, int probeId) {
    Path binary = target.binary();
    if (!Files.isRegularFile(binary)) {
      throw new CaptureException(
          Kind.USER,
          "uprobe binary "
              + binary
              + " does not exist or is not a regular file (--uprobe "
              + target
              + "); give the path of the executable or shared library that defines "
              + target.symbol());
    }
    try {
      Path real = binary.toRealPath();
      OptionalLong offset = ElfSymbols.fileOffsetOf(real, target.symbol());
      if (offset.isEmpty()) {
        throw new CaptureException(
            Kind.USER,
            "uprobe symbol '"
                + target.symbol()
                + "' is not a function defined in "
                + binary
                + " (neither .symtab nor .dynsym); list its functions with 'nm -D "
                + binary
                + "' (or 'nm "
                + binary
                + "' if it is not stripped); a function imported from a shared library is"
                + " probed in that library");
      }
      return new ResolvedUprobe(target, probeId, real, offset.getAsLong());
    } catch (ElfSymbols.NotElfException e) {
      throw new CaptureException(
          Kind.USER, "uprobe binary " + binary + " is not an ELF executable or shared library", e);
    } catch (IOException e) {
      throw new CaptureException(
          Kind.USER, "cannot read uprobe binary " + binary + ": " + e.getMessage(), e);
    }
  }
}

package dev.tracefix.capture;

import java.util.List;

/**
 * One distinct call stack of a capture, symbolized on the box. Frames never hold a raw address.
 *
 * @param stackId stable 64-bit id: the first 8 bytes of SHA-256 over the frames, so one code path
 *     has one id in every process and capture
 * @param frames user frames, leaf first: {@code module!symbol+0xoff}, {@code module+0xfileoffset}
 *     when the module has no symbol there, {@code [unknown]} when nothing maps the address
 * @param kernelFrames kernel frames, leaf first: {@code symbol+0xoff} or {@code [unknown]}
 * @param buildId GNU build id of the leaf user frame's module, or null
 */
public record SafeStack(
    long stackId, List<String> frames, List<String> kernelFrames, String buildId) {
  public SafeStack {
    frames = List.copyOf(frames);
    kernelFrames = List.copyOf(kernelFrames);
  }
}

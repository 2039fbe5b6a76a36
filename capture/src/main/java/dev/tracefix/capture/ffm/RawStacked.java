package dev.tracefix.capture.ffm;

/** A raw record that may name stacks in the stack_traces map (ids are -1 when it has none). */
public interface RawStacked {
  int tgid();

  int userStackId();

  int kernelStackId();

  /** The word at the user stack pointer when the stack was taken (0: none), raw: memory only. */
  long leafReturn();
}

package dev.tracefix.server.run;

import dev.tracefix.server.limits.Limits;

/**
 * How the kernels of every session run.
 *
 * @param defaults the limits of a notebook that sets none ({@code serve --limit} changes them)
 * @param firstPageRows rows of a result that a cell's output carries; the rest is paged
 * @param firstPageBytes and at most about this many bytes of them
 */
public record KernelSettings(Limits defaults, int firstPageRows, long firstPageBytes) {
  public static final KernelSettings DEFAULTS = new KernelSettings(Limits.defaults(), 200, 1 << 20);

  public KernelSettings withDefaults(Limits limits) {
    return new KernelSettings(limits, firstPageRows, firstPageBytes);
  }
}

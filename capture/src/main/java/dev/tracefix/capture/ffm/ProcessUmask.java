package dev.tracefix.capture.ffm;

/**
 * The process's file mode creation mask, umask(2). The JDK has no call for it, and the files that
 * matter most are created by native code that only the umask reaches: DuckDB writes the database,
 * its write-ahead log and every Parquet file of an export itself.
 */
public final class ProcessUmask {
  private ProcessUmask() {}

  /**
   * Sets the umask of this whole process (every thread) to {@code mask} and returns the one before.
   * umask(2) cannot fail.
   *
   * @throws UnsupportedOperationException if libc's umask cannot be called (native access denied)
   */
  public static int set(int mask) {
    if ((mask & ~0777) != 0) {
      throw new IllegalArgumentException("not a umask: " + Integer.toOctalString(mask));
    }
    try {
      return (int) LibBpf.Libc.UMASK.invokeExact(mask);
    } catch (Throwable t) {
      throw new UnsupportedOperationException("cannot call umask(2) through FFM: " + t, t);
    }
  }
}

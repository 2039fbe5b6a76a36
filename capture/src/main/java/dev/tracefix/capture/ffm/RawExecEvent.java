package dev.tracefix.capture.ffm;

/**
 * A traced process executed a new program.
 *
 * @param startTimeNs start_boottime of the process (ns since boot); exec does not change it
 * @param cgroupId cgroup v2 id (inode number of the cgroup's directory in cgroupfs)
 * @param filename the executed path as the kernel saw it; only hashed and read for its build id
 */
public record RawExecEvent(
    long tsNs, int tgid, long startTimeNs, long cgroupId, String comm, String filename)
    implements RawRecord {
  @Override
  public String toString() {
    return "RawExecEvent[comm=" + comm + ", redacted]";
  }
}

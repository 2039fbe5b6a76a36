package dev.tracefix.capture.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * Reads a BPF ring buffer straight from its memory mapping, the way libbpf's ring_buffer does but
 * without one native upcall per record: records are decoded in a plain Java loop, which is what
 * lets the Java consumer keep pace with a C one.
 *
 * <p>Layout (kernel/bpf/ringbuf.c): page 0 is the consumer position (read-write), page 1 the
 * producer position, then the data area, mapped twice in a row so a record that wraps is still
 * contiguous. Each record has an 8-byte header: {@code u32 len} with BUSY (bit 31, not yet
 * committed) and DISCARD (bit 30) flags, then the page offset; records are 8-byte aligned.
 */
final class RingReader {
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;
  private static final short POLLIN = 1;
  private static final int BUSY = 1 << 31;
  private static final int DISCARD = 1 << 30;
  private static final int HEADER = 8;
  private static final VarHandle POS = JAVA_LONG.varHandle();
  private static final VarHandle LEN = JAVA_INT.varHandle();

  private final int fd;
  private final long pageSize;
  private final long dataSize;
  private final MemorySegment consumer;
  private final MemorySegment producer;
  private final MemorySegment data;
  private final MemorySegment pollFd;

  private RingReader(
      int fd,
      long pageSize,
      long dataSize,
      MemorySegment consumer,
      MemorySegment producer,
      MemorySegment pollFd) {
    this.fd = fd;
    this.pageSize = pageSize;
    this.dataSize = dataSize;
    this.consumer = consumer;
    this.producer = producer;
    this.data = producer.asSlice(pageSize);
    this.pollFd = pollFd;
  }

  /** Maps the ring buffer map {@code fd} of {@code dataSize} bytes (its max_entries). */
  static RingReader map(int fd, long dataSize, Arena arena) throws Throwable {
    long page = (int) LibBpf.H.GETPAGESIZE.invokeExact();
    MemorySegment consumer = mmap(fd, page, PROT_READ | PROT_WRITE, 0, arena);
    MemorySegment producer;
    try {
      producer = mmap(fd, page + 2 * dataSize, PROT_READ, page, arena);
    } catch (RingMapException e) {
      int unused = (int) LibBpf.H.MUNMAP.invokeExact(consumer, page);
      throw e;
    }
    MemorySegment pollFd = arena.allocate(8, 4);
    pollFd.set(JAVA_INT, 0, fd);
    pollFd.set(JAVA_SHORT, 4, POLLIN);
    return new RingReader(fd, page, dataSize, consumer, producer, pollFd);
  }

  /** mmap failed; {@code errno} is positive. */
  static final class RingMapException extends Exception {
    final int errno;

    RingMapException(int errno) {
      super("mmap errno " + errno);
      this.errno = errno;
    }
  }

  private static MemorySegment mmap(int fd, long size, int prot, long offset, Arena arena)
      throws Throwable {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoState(call);
      MemorySegment at =
          (MemorySegment)
              LibBpf.H.MMAP.invokeExact(
                  errno, MemorySegment.NULL, size, prot, MAP_SHARED, fd, offset);
      if (at.address() == -1L) {
        throw new RingMapException(LibBpf.errno(errno));
      }
      return at.reinterpret(size);
    }
  }

  /** Waits up to {@code timeoutMs} until the kernel signals new records; false on timeout. */
  boolean await(int timeoutMs) throws Throwable {
    if (available()) {
      return true;
    }
    try (Arena call = Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoState(call);
      pollFd.set(JAVA_SHORT, 6, (short) 0);
      int rc = (int) LibBpf.H.POLL.invokeExact(errno, pollFd, 1L, timeoutMs);
      return rc > 0 || available();
    }
  }

  private boolean available() {
    return (long) POS.getAcquire(producer, 0L) != (long) POS.getAcquire(consumer, 0L);
  }

  /**
   * Hands committed records to {@code sink} (a view valid only during the call), at most {@code
   * max}, and returns how many; stops at the first record still being written.
   */
  int consume(Consumer<MemorySegment> sink, int max) {
    long mask = dataSize - 1;
    long cons = (long) POS.getAcquire(consumer, 0L);
    int count = 0;
    while (true) {
      long prod = (long) POS.getAcquire(producer, 0L);
      if (cons >= prod || count >= max) {
        return count;
      }
      while (cons < prod && count < max) {
        long at = cons & mask;
        int len = (int) LEN.getAcquire(data, at);
        if ((len & BUSY) != 0) {
          POS.setRelease(consumer, 0L, cons);
          return count;
        }
        int size = len & ~(BUSY | DISCARD);
        if ((len & DISCARD) == 0) {
          sink.accept(data.asSlice(at + HEADER, size));
          count++;
        }
        cons += (HEADER + size + 7) & ~7L;
        // Publish as we go so the kernel can reuse the space (and wake us when we catch up).
        POS.setRelease(consumer, 0L, cons);
      }
    }
  }

  /** Unmaps both areas; the map itself is closed with its object. */
  void close() throws Throwable {
    int a = (int) LibBpf.H.MUNMAP.invokeExact(consumer, pageSize);
    int b = (int) LibBpf.H.MUNMAP.invokeExact(producer, pageSize + 2 * dataSize);
  }

  int fd() {
    return fd;
  }
}

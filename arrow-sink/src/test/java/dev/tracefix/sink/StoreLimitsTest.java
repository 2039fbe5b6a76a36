package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store opened with caps runs its DuckDB with that memory_limit and those threads. */
class StoreLimitsTest {
  @TempDir Path tmp;

  @Test
  void theCapsFromTheOptionsAreTheDatabasesSettings() {
    try (RootAllocator allocator = new RootAllocator();
        EventStore store =
            EventStore.open(
                tmp.resolve("l.duckdb"),
                allocator,
                StoreOptions.DEFAULT.withLimits(96L << 20, 1))) {
      String limits = store.limits();
      System.out.println("store limits: " + limits);
      assertEquals("memory_limit=96.0 MiB threads=1", limits);
    }
  }

  @Test
  void aCapTooSmallIsAUserError() {
    SinkException e =
        assertThrows(SinkException.class, () -> StoreOptions.DEFAULT.withLimits(1 << 20, 1));
    assertEquals(SinkException.Kind.USER, e.kind());
  }
}

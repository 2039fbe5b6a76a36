package dev.tracefix.sink.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.StoreOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.arrow.memory.RootAllocator;

/**
 * A spool after crashes and hands: segments truncated, bit-flipped, copied under another name, left
 * half-written. Opening the store ingests exactly the intact segments' rows once, quarantines every
 * damaged file, and a second open changes nothing.
 */
class SpoolFuzzTest {
  private static final StoreOptions KEEP_ALL =
      StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL);

  enum Harm {
    NONE,
    TRUNCATED,
    BIT_FLIPPED,
    COPIED,
    HALF_WRITTEN
  }

  record Segment(int rows, Harm harm, double where) {}

  @Property(tries = 25)
  void theIntactSegmentsIngestOnceAndEveryDamagedOneIsQuarantined(
      @ForAll("spools") List<Segment> segments) throws Exception {
    Path dir = Files.createTempDirectory("spool-fuzz");
    PrintStream err = System.err;
    System.setErr(new PrintStream(PrintStream.nullOutputStream())); // quarantine warnings
    try (RootAllocator allocator = new RootAllocator()) {
      Path db = dir.resolve("store.duckdb");
      Path spool = Files.createDirectories(EventStore.defaultSpoolDir(db));
      long expectedRows = 0;
      int expectedQuarantined = 0;
      long offset = 0;
      for (int i = 0; i < segments.size(); i++) {
        Segment s = segments.get(i);
        Path file = SpoolRecoveryTest.segment(allocator, spool, i, s.rows(), offset);
        offset += s.rows();
        harm(file, spool, s, i);
        Statistics.collect(s.harm());
        if (s.harm() == Harm.NONE || s.harm() == Harm.COPIED) {
          expectedRows += s.rows();
        }
        if (s.harm() != Harm.NONE) {
          expectedQuarantined++;
        }
      }
      for (int open = 0; open < 2; open++) {
        try (EventStore store = EventStore.open(db, allocator, KEEP_ALL);
            Connection c = store.connect();
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT time) FROM events")) {
          rs.next();
          assertEquals(expectedRows, rs.getLong(1), "rows after open " + open);
          assertEquals(expectedRows, rs.getLong(2), "no row twice");
          if (open == 0) {
            assertEquals(expectedQuarantined, store.recovery().quarantined().size());
          } else {
            assertEquals(0, store.recovery().ingested() + store.recovery().quarantined().size());
          }
        }
      }
      try (Stream<Path> left = Files.list(spool)) {
        assertFalse(left.anyMatch(Files::isRegularFile), "the spool is empty after recovery");
      }
    } finally {
      System.setErr(err);
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void harm(Path file, Path spool, Segment s, int seq) throws IOException {
    switch (s.harm()) {
      case NONE -> {}
      case TRUNCATED -> {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
          f.setLength((long) (s.where() * f.length()));
        }
      }
      case BIT_FLIPPED -> {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
          long bit = (long) (s.where() * f.length() * 8);
          f.seek(bit / 8);
          int b = f.read();
          f.seek(bit / 8);
          f.write(b ^ (1 << (bit % 8)));
        }
      }
      case COPIED ->
          Files.copy(
              file,
              spool.resolve(new SegmentName("cap-r", 1000 + seq, SegmentTable.EVENTS).fileName()));
      case HALF_WRITTEN -> {
        Path partial = file.resolveSibling(file.getFileName() + SegmentName.PARTIAL);
        Files.move(file, partial);
        try (RandomAccessFile f = new RandomAccessFile(partial.toFile(), "rw")) {
          f.setLength((long) (s.where() * f.length()));
        }
      }
    }
  }

  @Provide
  Arbitrary<List<Segment>> spools() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 40),
            Arbitraries.of(Harm.class),
            Arbitraries.doubles().between(0, 0.9999).ofScale(4))
        .as(Segment::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6);
  }
}

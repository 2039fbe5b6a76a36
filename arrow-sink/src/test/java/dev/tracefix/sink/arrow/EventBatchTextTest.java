package dev.tracefix.sink.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * Text columns hold exactly the values given, whichever way each is encoded: cached while a
 * column's values are few, then copied through the reused ASCII buffer, or encoded per value when
 * not ASCII or too long; over several batches of one {@link EventBatch}.
 */
class EventBatchTextTest {
  @Test
  void everyTextValueReadsBackExactlyPastTheCache() {
    Random random = new Random(20);
    try (RootAllocator allocator = new RootAllocator();
        EventBatch batch = new EventBatch(allocator, 64)) {
      int checked = 0;
      for (int round = 0; round < 3; round++) {
        List<String> tokens = new ArrayList<>();
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < 3 * ColumnWriter.MAX_CACHED_TEXT; i++) {
          tokens.add(i % 7 == 3 ? null : "p_%016x".formatted(random.nextLong()));
          symbols.add(symbol(random, i));
          batch.add(
              SafeEvent.builder(i, EventType.UPROBE, tokens.get(i), "k_1")
                  .symbol(symbols.get(i))
                  .build());
        }
        VectorSchemaRoot root = batch.sealed();
        VarCharVector token = (VarCharVector) root.getVector("process_token");
        VarCharVector symbol = (VarCharVector) root.getVector("symbol");
        assertEquals(tokens.size(), root.getRowCount());
        for (int i = 0; i < tokens.size(); i++) {
          assertEquals(tokens.get(i), text(token, i), "process_token row " + i);
          assertEquals(symbols.get(i), text(symbol, i), "symbol row " + i);
          checked++;
        }
        batch.reset();
      }
      assertTrue(checked > 3 * ColumnWriter.MAX_CACHED_TEXT, "rows past the cache: " + checked);
    }
  }

  /**
   * A null writes nothing into the batch: runs of nulls between values, past the vectors' first
   * capacity, at a batch's end and after a reset still read back NULL, text and stack id alike.
   */
  @Test
  void nullRunsReadBackNullAcrossGrowthAndReset() {
    try (RootAllocator allocator = new RootAllocator();
        EventBatch batch = new EventBatch(allocator, 16)) {
      for (int round = 0; round < 2; round++) {
        int rows = 300 + round * 77;
        for (int i = 0; i < rows; i++) {
          boolean set = i < 250 && (i / (3 + round)) % 2 == 0;
          batch.add(
              SafeEvent.builder(i, EventType.SYSCALL, set ? "p_" + i : null, "k_1")
                  .threadToken(set ? null : "t_" + i)
                  .stackId(set ? i + 1 : 0)
                  .build());
        }
        VectorSchemaRoot root = batch.sealed();
        assertEquals(rows, root.getRowCount());
        VarCharVector token = (VarCharVector) root.getVector("process_token");
        VarCharVector thread = (VarCharVector) root.getVector("thread_token");
        var stack = (org.apache.arrow.vector.BigIntVector) root.getVector("stack_id");
        for (int i = 0; i < rows; i++) {
          boolean set = i < 250 && (i / (3 + round)) % 2 == 0;
          assertEquals(set ? "p_" + i : null, text(token, i), "process_token row " + i);
          assertEquals(set ? null : "t_" + i, text(thread, i), "thread_token row " + i);
          assertEquals(set ? Long.valueOf(i + 1) : null, stack.getObject(i), "stack_id row " + i);
        }
        batch.reset();
      }
    }
  }

  /** ASCII of every length around the scratch buffer's, and non-ASCII text. */
  private static String symbol(Random random, int i) {
    return switch (i % 5) {
      case 0 -> "fn_" + i;
      case 1 ->
          ("%0" + (ColumnWriter.Text.SCRATCH_BYTES - 1 + random.nextInt(3)) + "d").formatted(i);
      case 2 -> "größe_" + i + "_\ud83d\ude00";
      case 3 -> "";
      default -> "sym_" + Long.toHexString(random.nextLong()) + "\u007f";
    };
  }

  private static String text(VarCharVector vector, int row) {
    return vector.isNull(row)
        ? null
        : new String(vector.get(row), java.nio.charset.StandardCharsets.UTF_8);
  }
}

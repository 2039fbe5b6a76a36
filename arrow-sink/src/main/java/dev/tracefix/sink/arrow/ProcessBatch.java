package dev.tracefix.sink.arrow;

import dev.tracefix.capture.SafeProcess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Processes first seen since the previous batch, as Arrow columns named like {@code processes}. */
public final class ProcessBatch {
  /**
   * The columns spool segments held before capture parsed container ids; the store derives {@code
   * container} from {@code cgroup} for them.
   */
  public static final List<Field> V5_FIELDS =
      List.of(
          text("token"),
          text("comm"),
          text("build_id"),
          text("cgroup"),
          text("exe_hash"),
          text("key_id"));

  public static final Schema SCHEMA = new Schema(withContainer());

  private ProcessBatch() {}

  /** A new root holding {@code processes}; the caller closes it. */
  public static VectorSchemaRoot of(BufferAllocator allocator, List<SafeProcess> processes) {
    VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator);
    try {
      root.allocateNew();
      for (int i = 0; i < processes.size(); i++) {
        SafeProcess p = processes.get(i);
        set(root, "token", i, p.token());
        set(root, "comm", i, p.comm());
        set(root, "build_id", i, p.buildId());
        set(root, "cgroup", i, p.cgroup());
        set(root, "exe_hash", i, p.exeHash());
        set(root, "key_id", i, p.keyId());
        set(root, "container", i, p.container());
      }
      root.setRowCount(processes.size());
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  private static void set(VectorSchemaRoot root, String column, int index, String value) {
    VarCharVector vector = (VarCharVector) root.getVector(column);
    if (value == null) {
      vector.setNull(index);
    } else {
      vector.setSafe(index, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<Field> withContainer() {
    List<Field> fields = new java.util.ArrayList<>(V5_FIELDS);
    fields.add(text("container"));
    return List.copyOf(fields);
  }

  private static Field text(String name) {
    return new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
  }
}

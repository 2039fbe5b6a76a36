package dev.tracefix.sink.arrow;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.sink.errno.ErrnoNames;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Safe events of one capture, column by column, until they are inserted. The Arrow columns carry
 * the {@code events} table's names and types except {@code capture_id}, which is the same for the
 * whole capture and is added by the INSERT instead of being repeated per row.
 */
public final class EventBatch implements AutoCloseable {
  /**
   * The columns spool segments had up to schema version 3. Segments left in a spool by that version
   * are still ingested (the newer columns NULL), so these fields never change. Timestamps without a
   * zone: DuckDB reads them as {@code TIMESTAMP_NS} holding UTC.
   */
  public static final List<Field> V3_FIELDS =
      List.of(
          field("time", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null), false),
          field("type", ArrowType.Utf8.INSTANCE, false),
          field("process_token", ArrowType.Utf8.INSTANCE, true),
          field("duration_ns", new ArrowType.Int(64, true), false),
          field("bytes", new ArrowType.Int(64, true), false),
          field("errno", new ArrowType.Int(32, true), false),
          field("errno_name", ArrowType.Utf8.INSTANCE, true),
          field("peer_hash", ArrowType.Utf8.INSTANCE, true),
          field("key_id", ArrowType.Utf8.INSTANCE, true));

  /**
   * Schema version 4 appends the syscall, TCP and process lifecycle fields. Numbers are stored as
   * given (the policy may zero them); text may be NULL.
   */
  public static final List<Field> V4_FIELDS =
      List.of(
          field("syscall", ArrowType.Utf8.INSTANCE, true),
          field("fd", new ArrowType.Int(32, true), false),
          field("connection_hash", ArrowType.Utf8.INSTANCE, true),
          field("tcp_old_state", ArrowType.Utf8.INSTANCE, true),
          field("tcp_new_state", ArrowType.Utf8.INSTANCE, true),
          field("family", new ArrowType.Int(32, true), false),
          field("protocol", new ArrowType.Int(32, true), false),
          field("local_port", new ArrowType.Int(32, true), false),
          field("remote_port", new ArrowType.Int(32, true), false),
          field("local_hash", ArrowType.Utf8.INSTANCE, true),
          field("exit_status", new ArrowType.Int(32, true), false));

  /**
   * Schema version 5 appends the uprobe fields: the probed function's name and the keyed hash of
   * its binary. The return value is never stored: it may be a raw address.
   */
  public static final List<Field> V5_FIELDS =
      List.of(
          field("symbol", ArrowType.Utf8.INSTANCE, true),
          field("binary_hash", ArrowType.Utf8.INSTANCE, true));

  /**
   * Schema version 6 appends the stack and thread fields: the id of the event's stack (a row of
   * {@code stacks}; NULL when none), the keyed thread token, an off-CPU event's wait state and a
   * fork's child token.
   */
  public static final List<Field> V6_FIELDS =
      List.of(
          field("stack_id", new ArrowType.Int(64, true), true),
          field("thread_token", ArrowType.Utf8.INSTANCE, true),
          field("wait_state", ArrowType.Utf8.INSTANCE, true),
          field("child_token", ArrowType.Utf8.INSTANCE, true));

  /** Schema version 7 appends an exec's previous process token. */
  public static final List<Field> V7_FIELDS =
      List.of(field("previous_token", ArrowType.Utf8.INSTANCE, true));

  /** The columns spool segments had in schema version 4 (v3's followed by v4's). */
  public static final List<Field> V4_LAYOUT_FIELDS =
      java.util.stream.Stream.concat(V3_FIELDS.stream(), V4_FIELDS.stream()).toList();

  /** The columns spool segments had in schema version 5 (v4's followed by v5's). */
  public static final List<Field> V5_LAYOUT_FIELDS =
      java.util.stream.Stream.concat(V4_LAYOUT_FIELDS.stream(), V5_FIELDS.stream()).toList();

  /** The columns spool segments had in schema version 6 (v5's followed by v6's). */
  public static final List<Field> V6_LAYOUT_FIELDS =
      java.util.stream.Stream.concat(V5_LAYOUT_FIELDS.stream(), V6_FIELDS.stream()).toList();

  public static final Schema SCHEMA =
      new Schema(
          java.util.stream.Stream.concat(V6_LAYOUT_FIELDS.stream(), V7_FIELDS.stream()).toList());

  /** Distinct syscall and TCP state names per batch are few: encode each once. */
  private static final int MAX_CACHED_NAMES = 1_024;

  private static final Map<EventType, byte[]> TYPE_VALUES = new EnumMap<>(EventType.class);

  static {
    for (EventType type : EventType.values()) {
      TYPE_VALUES.put(type, type.columnValue().getBytes(StandardCharsets.UTF_8));
    }
  }

  private final VectorSchemaRoot root;
  private final TimeStampNanoVector time;
  private final VarCharVector type;
  private final VarCharVector processToken;
  private final BigIntVector durationNs;
  private final BigIntVector bytes;
  private final IntVector errno;
  private final VarCharVector errnoName;
  private final VarCharVector peerHash;
  private final VarCharVector keyId;
  private final VarCharVector syscall;
  private final IntVector fd;
  private final VarCharVector connectionHash;
  private final VarCharVector tcpOldState;
  private final VarCharVector tcpNewState;
  private final IntVector family;
  private final IntVector protocol;
  private final IntVector localPort;
  private final IntVector remotePort;
  private final VarCharVector localHash;
  private final IntVector exitStatus;
  private final VarCharVector symbol;
  private final VarCharVector binaryHash;
  private final BigIntVector stackId;
  private final VarCharVector threadToken;
  private final VarCharVector waitState;
  private final VarCharVector childToken;
  private final VarCharVector previousToken;
  private final Map<String, byte[]> names = new HashMap<>();
  private final int initialCapacity;
  private final long[] typeCounts = new long[EventType.values().length];
  private int rows;
  private long minTimeNs = Long.MAX_VALUE;
  private long maxTimeNs = Long.MIN_VALUE;

  public EventBatch(BufferAllocator allocator, int initialCapacity) {
    this.initialCapacity = initialCapacity;
    root = VectorSchemaRoot.create(SCHEMA, allocator);
    time = (TimeStampNanoVector) root.getVector("time");
    type = (VarCharVector) root.getVector("type");
    processToken = (VarCharVector) root.getVector("process_token");
    durationNs = (BigIntVector) root.getVector("duration_ns");
    bytes = (BigIntVector) root.getVector("bytes");
    errno = (IntVector) root.getVector("errno");
    errnoName = (VarCharVector) root.getVector("errno_name");
    peerHash = (VarCharVector) root.getVector("peer_hash");
    keyId = (VarCharVector) root.getVector("key_id");
    syscall = (VarCharVector) root.getVector("syscall");
    fd = (IntVector) root.getVector("fd");
    connectionHash = (VarCharVector) root.getVector("connection_hash");
    tcpOldState = (VarCharVector) root.getVector("tcp_old_state");
    tcpNewState = (VarCharVector) root.getVector("tcp_new_state");
    family = (IntVector) root.getVector("family");
    protocol = (IntVector) root.getVector("protocol");
    localPort = (IntVector) root.getVector("local_port");
    remotePort = (IntVector) root.getVector("remote_port");
    localHash = (VarCharVector) root.getVector("local_hash");
    exitStatus = (IntVector) root.getVector("exit_status");
    symbol = (VarCharVector) root.getVector("symbol");
    binaryHash = (VarCharVector) root.getVector("binary_hash");
    stackId = (BigIntVector) root.getVector("stack_id");
    threadToken = (VarCharVector) root.getVector("thread_token");
    waitState = (VarCharVector) root.getVector("wait_state");
    childToken = (VarCharVector) root.getVector("child_token");
    previousToken = (VarCharVector) root.getVector("previous_token");
    allocate();
  }

  public void add(SafeEvent event) {
    int i = rows;
    time.setSafe(i, event.timeNs());
    type.setSafe(i, TYPE_VALUES.get(event.type()));
    setString(processToken, i, event.processToken());
    durationNs.setSafe(i, event.durationNs());
    bytes.setSafe(i, event.bytes());
    errno.setSafe(i, event.errno());
    setString(errnoName, i, ErrnoNames.nameOf(event.errno()));
    setString(peerHash, i, event.peerHash());
    setString(keyId, i, event.keyId());
    setName(syscall, i, event.syscall());
    fd.setSafe(i, event.fd());
    setString(connectionHash, i, event.connectionHash());
    setName(tcpOldState, i, event.tcpOldState());
    setName(tcpNewState, i, event.tcpNewState());
    family.setSafe(i, event.family());
    protocol.setSafe(i, event.protocol());
    localPort.setSafe(i, event.localPort());
    remotePort.setSafe(i, event.remotePort());
    setString(localHash, i, event.localHash());
    exitStatus.setSafe(i, event.exitStatus());
    setName(symbol, i, event.symbol());
    setName(binaryHash, i, event.binaryHash());
    if (event.stackId() == 0) {
      stackId.setNull(i);
    } else {
      stackId.setSafe(i, event.stackId());
    }
    setString(threadToken, i, event.threadToken());
    setName(waitState, i, event.waitState());
    setString(childToken, i, event.childToken());
    setString(previousToken, i, event.previousToken());
    // event.returnValue() is not stored: the privacy policy drops it (it may be a raw address).
    typeCounts[event.type().ordinal()]++;
    minTimeNs = Math.min(minTimeNs, event.timeNs());
    maxTimeNs = Math.max(maxTimeNs, event.timeNs());
    rows++;
  }

  /** Rows of each event type, indexed by {@link EventType#ordinal()}; a copy. */
  public long[] typeCounts() {
    return typeCounts.clone();
  }

  /** Earliest event time in this batch (Long.MAX_VALUE when empty). */
  public long minTimeNs() {
    return minTimeNs;
  }

  /** Latest event time in this batch (Long.MIN_VALUE when empty). */
  public long maxTimeNs() {
    return maxTimeNs;
  }

  public int rowCount() {
    return rows;
  }

  /**
   * The filled vectors with their row count set. Valid until {@link #reset}; a reader that needs
   * the data longer must take its own references (an {@code ArrowRecordBatch} does).
   */
  public VectorSchemaRoot sealed() {
    root.setRowCount(rows);
    return root;
  }

  /** Drops this batch's references to its buffers and starts an empty batch. */
  public void reset() {
    root.clear();
    allocate();
  }

  @Override
  public void close() {
    root.close();
  }

  private void allocate() {
    rows = 0;
    java.util.Arrays.fill(typeCounts, 0);
    minTimeNs = Long.MAX_VALUE;
    maxTimeNs = Long.MIN_VALUE;
    for (var vector : root.getFieldVectors()) {
      vector.setInitialCapacity(initialCapacity);
      vector.allocateNew();
    }
  }

  /** Like {@link #setString} for low-cardinality text, encoding each distinct value once. */
  private void setName(VarCharVector vector, int index, String value) {
    if (value == null) {
      vector.setNull(index);
      return;
    }
    byte[] encoded = names.get(value);
    if (encoded == null) {
      encoded = value.getBytes(StandardCharsets.UTF_8);
      if (names.size() < MAX_CACHED_NAMES) {
        names.put(value, encoded);
      }
    }
    vector.setSafe(index, encoded);
  }

  private static void setString(VarCharVector vector, int index, String value) {
    if (value == null) {
      vector.setNull(index);
    } else {
      vector.setSafe(index, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Field field(String name, ArrowType type, boolean nullable) {
    return new Field(name, new FieldType(nullable, type, null), null);
  }
}

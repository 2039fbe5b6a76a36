package dev.tracefix.sink.spool;

import dev.tracefix.capture.FileModes;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One spool segment on disk: an Arrow IPC stream (readable by any Arrow reader, which stops at the
 * end-of-stream marker) followed by a 24-byte trailer — magic, CRC32C and length of the stream — so
 * a torn or bit-flipped file is recognised instead of ingested.
 *
 * <p>{@link #write} is durable when it returns: the data is fsynced under a temporary name, renamed
 * into place and the directory fsynced, so a crash leaves either no segment or a whole one.
 */
public final class SegmentFile {
  static final String HOST_KEY = "tracefix.host";

  /**
   * The segment's own name, inside the file: a copy under another name (a backup restored beside
   * the original, a hand copy) would otherwise be a second segment and ingest its rows twice.
   */
  static final String SEGMENT_KEY = "tracefix.segment";

  private static final byte[] MAGIC =
      "TFSPOOL1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int TRAILER = 24;

  private SegmentFile() {}

  /** Writes {@code root} as segment {@code name} in {@code dir}; returns the final path. */
  public static Path write(Path dir, SegmentName name, String host, VectorSchemaRoot root)
      throws IOException {
    Path target = dir.resolve(name.fileName());
    Path partial = dir.resolve(name.fileName() + SegmentName.PARTIAL);
    Schema schema =
        new Schema(root.getSchema().getFields(), Map.of(HOST_KEY, host, SEGMENT_KEY, name.id()));
    // A view over the same vectors with the metadata added; closing it would free the batch.
    VectorSchemaRoot labelled =
        new VectorSchemaRoot(schema, root.getFieldVectors(), root.getRowCount());
    try (FileChannel channel =
        FileChannel.open(
            partial,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            FileModes.active().fileAttribute())) {
      CRC32C crc = new CRC32C();
      CountingStream counting =
          new CountingStream(java.nio.channels.Channels.newOutputStream(channel));
      try (OutputStream out =
          new CheckedOutputStream(new BufferedOutputStream(counting, 1 << 20), crc)) {
        ArrowStreamWriter writer = new ArrowStreamWriter(labelled, null, out);
        writer.start();
        writer.writeBatch();
        writer.end();
        out.flush();
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
        trailer.put(MAGIC).putLong(crc.getValue()).putLong(counting.count).flip();
        while (trailer.hasRemaining()) {
          channel.write(trailer);
        }
        channel.force(true);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(dir);
    return target;
  }

  /** A segment read back: its rows, its host, and the reader that owns them (close it). */
  public record Loaded(
      SegmentName name, String host, VectorSchemaRoot root, ArrowStreamReader reader)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  /**
   * Reads and checks a segment. Throws {@link CorruptSegmentException} saying what is wrong when
   * the file is truncated, fails its checksum or does not hold the expected columns.
   */
  static Loaded read(Path file, SegmentName name, BufferAllocator allocator)
      throws IOException, CorruptSegmentException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < TRAILER
        || !Arrays.equals(
            MAGIC, Arrays.copyOfRange(bytes, bytes.length - TRAILER, bytes.length - 16))) {
      throw new CorruptSegmentException(
          "truncated: " + bytes.length + " bytes and no complete spool trailer at the end");
    }
    ByteBuffer trailer = ByteBuffer.wrap(bytes, bytes.length - 16, 16);
    long expectedCrc = trailer.getLong();
    long length = trailer.getLong();
    if (length != bytes.length - TRAILER) {
      throw new CorruptSegmentException(
          "truncated: the trailer announces "
              + length
              + " bytes of Arrow data, the file has "
              + (bytes.length - TRAILER));
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, (int) length);
    if (crc.getValue() != expectedCrc) {
      throw new CorruptSegmentException("corrupt: CRC32C mismatch over " + length + " bytes");
    }
    ArrowStreamReader reader =
        new ArrowStreamReader(new ByteArrayInputStream(bytes, 0, (int) length), allocator);
    try {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      if (name.table().insertSqlFor(root.getSchema().getFields()).isEmpty()) {
        throw new CorruptSegmentException(
            "unexpected columns for " + name.table().tableName() + ": " + root.getSchema());
      }
      if (!reader.loadNextBatch()) {
        root.setRowCount(0);
      }
      Map<String, String> metadata = root.getSchema().getCustomMetadata();
      String written = metadata.get(SEGMENT_KEY); // absent in segments of older versions
      if (written != null && !written.equals(name.id())) {
        throw new CorruptSegmentException(
            "a copy of segment " + written + " under another name: not ingested a second time");
      }
      String host = metadata.getOrDefault(HOST_KEY, "unknown");
      return new Loaded(name, host, root, reader);
    } catch (IOException | RuntimeException | CorruptSegmentException e) {
      reader.close();
      if (e instanceof CorruptSegmentException c) {
        throw c;
      }
      throw new CorruptSegmentException("unreadable Arrow stream: " + e);
    }
  }

  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static final class CountingStream extends java.io.FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}

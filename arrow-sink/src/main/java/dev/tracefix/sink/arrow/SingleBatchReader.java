package dev.tracefix.sink.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An {@link ArrowReader} over one in-memory batch, so the batch can be exported as an Arrow C
 * stream. It takes its own references to the batch's buffers when constructed: the source may be
 * reset right after, and whoever consumes the stream frees the data by closing this reader.
 */
final class SingleBatchReader extends ArrowReader {
  private final Schema schema;
  private ArrowRecordBatch pending;

  SingleBatchReader(BufferAllocator allocator, VectorSchemaRoot source) {
    super(allocator);
    this.schema = source.getSchema();
    this.pending = new VectorUnloader(source).getRecordBatch();
  }

  @Override
  public boolean loadNextBatch() {
    if (pending == null) {
      return false;
    }
    try (ArrowRecordBatch batch = pending) {
      pending = null;
      loadRecordBatch(batch);
    }
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {
    if (pending != null) {
      pending.close();
      pending = null;
    }
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }
}

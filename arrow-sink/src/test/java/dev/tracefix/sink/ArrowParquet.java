package dev.tracefix.sink;

import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.dataset.scanner.ScanOptions;
import org.apache.arrow.dataset.scanner.Scanner;
import org.apache.arrow.dataset.source.Dataset;
import org.apache.arrow.dataset.source.DatasetFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/** Reads an exported Parquet folder with Apache Arrow's own Parquet reader (Arrow Dataset). */
final class ArrowParquet {
  private ArrowParquet() {}

  /** {@link ArrowChecksum} over every Parquet file below {@code dir}, partitions included. */
  static List<Object> checksum(Path dir, BufferAllocator allocator) throws Exception {
    try (DatasetFactory factory =
            new FileSystemDatasetFactory(
                allocator,
                NativeMemoryPool.getDefault(),
                FileFormat.PARQUET,
                dir.toUri().toString());
        Dataset dataset = factory.finish();
        Scanner scanner = dataset.newScan(new ScanOptions(32_768));
        ArrowReader reader = scanner.scanBatches()) {
      return ArrowChecksum.of(reader);
    }
  }
}

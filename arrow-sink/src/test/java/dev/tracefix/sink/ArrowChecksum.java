package dev.tracefix.sink;

import java.math.BigInteger;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/** The sums of EventStoreParquetTest's PORTABLE_CHECKSUM, computed by Arrow Java from a reader. */
final class ArrowChecksum {
  private ArrowChecksum() {}

  static List<Object> of(ArrowReader reader) throws Exception {
    long rows = 0;
    BigInteger duration = BigInteger.ZERO;
    BigInteger bytes = BigInteger.ZERO;
    BigInteger errno = BigInteger.ZERO;
    long peers = 0;
    BigInteger tokenChars = BigInteger.ZERO;
    BigInteger timeMod = BigInteger.ZERO;
    BigInteger errnoChars = BigInteger.ZERO;
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    while (reader.loadNextBatch()) {
      BigIntVector d = (BigIntVector) root.getVector("duration_ns");
      BigIntVector b = (BigIntVector) root.getVector("bytes");
      IntVector e = (IntVector) root.getVector("errno");
      VarCharVector peer = (VarCharVector) root.getVector("peer_hash");
      VarCharVector token = (VarCharVector) root.getVector("process_token");
      TimeStampVector time = (TimeStampVector) root.getVector("time");
      VarCharVector errnoName = (VarCharVector) root.getVector("errno_name");
      for (int i = 0; i < root.getRowCount(); i++) {
        rows++;
        duration = duration.add(BigInteger.valueOf(d.get(i)));
        bytes = bytes.add(BigInteger.valueOf(b.get(i)));
        errno = errno.add(BigInteger.valueOf(e.get(i)));
        peers += peer.isNull(i) ? 0 : 1;
        tokenChars = tokenChars.add(BigInteger.valueOf(token.getObject(i).toString().length()));
        timeMod = timeMod.add(BigInteger.valueOf(time.get(i) % 1_000_000_007L));
        if (!errnoName.isNull(i)) {
          errnoChars = errnoChars.add(BigInteger.valueOf(errnoName.getObject(i).toString().length()));
        }
      }
    }
    return List.of(
        String.valueOf(rows), duration.toString(), bytes.toString(), errno.toString(),
        String.valueOf(peers), tokenChars.toString(), timeMod.toString(), errnoChars.toString());
  }
}

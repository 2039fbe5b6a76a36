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
    long[] ints = new long[5]; // fd, family + protocol, local_port, remote_port, exit_status
    long[] present = new long[3]; // syscall, connection_hash, local_hash
    long[] chars = new long[3]; // syscall, tcp_old_state, tcp_new_state
    long[] uprobe = new long[4]; // symbol count and chars, binary_hash count and chars
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    while (reader.loadNextBatch()) {
      BigIntVector d = (BigIntVector) root.getVector("duration_ns");
      BigIntVector b = (BigIntVector) root.getVector("bytes");
      IntVector e = (IntVector) root.getVector("errno");
      VarCharVector peer = (VarCharVector) root.getVector("peer_hash");
      VarCharVector token = (VarCharVector) root.getVector("process_token");
      TimeStampVector time = (TimeStampVector) root.getVector("time");
      VarCharVector errnoName = (VarCharVector) root.getVector("errno_name");
      IntVector fd = (IntVector) root.getVector("fd");
      IntVector family = (IntVector) root.getVector("family");
      IntVector protocol = (IntVector) root.getVector("protocol");
      IntVector localPort = (IntVector) root.getVector("local_port");
      IntVector remotePort = (IntVector) root.getVector("remote_port");
      IntVector exitStatus = (IntVector) root.getVector("exit_status");
      VarCharVector syscall = (VarCharVector) root.getVector("syscall");
      VarCharVector connection = (VarCharVector) root.getVector("connection_hash");
      VarCharVector localHash = (VarCharVector) root.getVector("local_hash");
      VarCharVector oldState = (VarCharVector) root.getVector("tcp_old_state");
      VarCharVector newState = (VarCharVector) root.getVector("tcp_new_state");
      VarCharVector symbol = (VarCharVector) root.getVector("symbol");
      VarCharVector binaryHash = (VarCharVector) root.getVector("binary_hash");
      for (int i = 0; i < root.getRowCount(); i++) {
        ints[0] += fd.get(i);
        ints[1] += family.get(i) + protocol.get(i);
        ints[2] += localPort.get(i);
        ints[3] += remotePort.get(i);
        ints[4] += exitStatus.get(i);
        present[0] += syscall.isNull(i) ? 0 : 1;
        present[1] += connection.isNull(i) ? 0 : 1;
        present[2] += localHash.isNull(i) ? 0 : 1;
        chars[0] += syscall.isNull(i) ? 0 : syscall.getObject(i).toString().length();
        chars[1] += oldState.isNull(i) ? 0 : oldState.getObject(i).toString().length();
        chars[2] += newState.isNull(i) ? 0 : newState.getObject(i).toString().length();
        if (!symbol.isNull(i)) {
          uprobe[0]++;
          uprobe[1] += symbol.getObject(i).toString().length();
        }
        if (!binaryHash.isNull(i)) {
          uprobe[2]++;
          uprobe[3] += binaryHash.getObject(i).toString().length();
        }
        rows++;
        duration = duration.add(BigInteger.valueOf(d.get(i)));
        bytes = bytes.add(BigInteger.valueOf(b.get(i)));
        errno = errno.add(BigInteger.valueOf(e.get(i)));
        peers += peer.isNull(i) ? 0 : 1;
        tokenChars = tokenChars.add(BigInteger.valueOf(token.getObject(i).toString().length()));
        timeMod = timeMod.add(BigInteger.valueOf(time.get(i) % 1_000_000_007L));
        if (!errnoName.isNull(i)) {
          errnoChars =
              errnoChars.add(BigInteger.valueOf(errnoName.getObject(i).toString().length()));
        }
      }
    }
    List<Object> sums =
        new java.util.ArrayList<>(
            List.of(
                String.valueOf(rows),
                duration.toString(),
                bytes.toString(),
                errno.toString(),
                String.valueOf(peers),
                tokenChars.toString(),
                timeMod.toString(),
                errnoChars.toString()));
    for (long v : ints) {
      sums.add(String.valueOf(v));
    }
    for (long v : present) {
      sums.add(String.valueOf(v));
    }
    for (long v : chars) {
      sums.add(String.valueOf(v));
    }
    for (long v : uprobe) {
      sums.add(String.valueOf(v));
    }
    return List.copyOf(sums);
  }
}

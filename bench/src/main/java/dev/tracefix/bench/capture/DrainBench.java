package dev.tracefix.bench.capture;

import dev.tracefix.capture.ffm.BpfSession;
import dev.tracefix.capture.ffm.NetTraceLayout;
import dev.tracefix.capture.ffm.RawRecord;
import dev.tracefix.capture.pipeline.CommandLauncher;
import dev.tracefix.capture.probe.KernelFeatures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The Java side of the drain benchmark, mirroring bench/capture/drain.c: same object, filter, ring
 * size, rounds and producer; records are decoded into capture's raw records, as the pipeline does.
 *
 * <pre>DrainBench OBJECT drain|live RING_BYTES ROUNDS PRODUCER [ARGS...]</pre>
 *
 * Prints one line per round in drain.c's format, with {@code consumer=java}.
 */
public final class DrainBench {
  private DrainBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println(
          "usage: DrainBench OBJECT drain|live RING_BYTES ROUNDS PRODUCER [ARGS...]");
      System.exit(64);
    }
    boolean live = args[1].equals("live");
    int rounds = Integer.parseInt(args[3]);
    List<String> producerArgv = List.of(args).subList(4, args.length);
    KernelFeatures.ensureTracefs();
    try (BpfSession bpf = BpfSession.open(Path.of(args[0]))) {
      bpf.maps().setRodataBool("filter_enabled", true);
      bpf.maps().setMaxEntries("events", Integer.parseInt(args[2]));
      bpf.load();
      bpf.openRingBuffer("events");
      for (int round = 1; round <= rounds; round++) {
        CommandLauncher producer = CommandLauncher.startHeld(producerArgv);
        bpf.maps().putU32("traced_tgids", Math.toIntExact(producer.pid()));
        bpf.attachAll();
        long records = 0;
        long checksum = 0;
        long start = System.nanoTime();
        producer.release();
        if (live) {
          while (producer.isAlive()) {
            for (RawRecord r : bpf.poll(100)) {
              checksum += r.tsNs();
              records++;
            }
          }
          bpf.detach();
        } else {
          producer.waitFor();
          bpf.detach();
          start = System.nanoTime();
        }
        for (List<RawRecord> batch = bpf.drainBatch(); !batch.isEmpty(); ) {
          for (RawRecord r : batch) {
            checksum += r.tsNs();
            records++;
          }
          batch = bpf.drainBatch();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int exit = producer.waitFor();
        System.out.printf(
            "consumer=java mode=%s round=%d records=%d seconds=%.4f records_per_s=%.0f"
                + " produced=%d dropped=%d exit=%d checksum=%d%n",
            args[1],
            round,
            records,
            seconds,
            records / seconds,
            Arrays.stream(bpf.maps().sumPerCpuSlots("produced", NetTraceLayout.EVENT_TYPES)).sum(),
            Arrays.stream(bpf.maps().sumPerCpuSlots("drops", NetTraceLayout.EVENT_TYPES)).sum(),
            exit,
            checksum % 10);
      }
    }
  }
}

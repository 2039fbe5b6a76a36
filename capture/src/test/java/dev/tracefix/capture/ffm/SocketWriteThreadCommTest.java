package dev.tracefix.capture.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.KernelAssumptions;
import dev.tracefix.capture.pipeline.CommandLauncher;
import dev.tracefix.capture.probe.KernelFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel record's comm is the sending thread's name: a JVM's socket writes come from threads
 * such as "HttpClient-1-Wo" (15 bytes of "HttpClient-1-Worker-0"), not from "java".
 */
class SocketWriteThreadCommTest {
  @TempDir Path dir;

  @Test
  void recordsTheJvmThreadThatWroteToTheSocket() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    KernelFeatures.ensureTracefs();
    Path object = dir.resolve("net_trace.bpf.o");
    Files.copy(getClass().getResourceAsStream("/bpf/net_trace.bpf.o"), object);
    Path program = dir.resolve("HttpRoundTrip.java");
    Files.copy(getClass().getResourceAsStream("/capture/HttpRoundTrip.java"), program);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    List<RawNetEvent> writes = new ArrayList<>();
    int exitCode;
    try (BpfSession session = BpfSession.open(object);
        CommandLauncher command =
            CommandLauncher.startHeld(List.of(java.toString(), program.toString()))) {
      session.maps().setRodataBool("filter_enabled", true);
      session.load();
      session.openRingBuffer("events");
      session.maps().putU32("traced_tgids", Math.toIntExact(command.pid()));
      session.attachAll();
      command.release();
      while (command.isAlive()) {
        collectSocketWrites(session.poll(100), writes);
      }
      session.detach();
      collectSocketWrites(session.drain(), writes);
      exitCode = command.waitFor();
      long[] drops = session.maps().sumPerCpuSlots("drops", NetTraceLayout.EVENT_TYPES);
      assertEquals(0, Arrays.stream(drops).sum(), "ring buffer drops");
    }

    assertEquals(0, exitCode, "the round trip answered 200");
    Set<String> threads = new TreeSet<>();
    writes.forEach(w -> threads.add(w.comm()));
    System.out.println("threads that wrote to sockets: " + threads);
    assertTrue(
        writes.stream().anyMatch(w -> w.ret() > 0 && w.comm().startsWith("HttpClient")),
        "a successful socket write by an HttpClient thread, threads seen: " + threads);
    assertTrue(writes.stream().allMatch(w -> w.tid() != 0 && w.fd() >= 0));
  }

  private static void collectSocketWrites(List<RawRecord> batch, List<RawNetEvent> into) {
    for (RawRecord r : batch) {
      if (r instanceof RawNetEvent e && e.isSocketWrite()) {
        into.add(e);
      }
    }
  }
}

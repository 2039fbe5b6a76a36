package dev.tracefix.capture.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.KernelAssumptions;
import dev.tracefix.capture.NativeBuild;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.UprobeTarget;
import dev.tracefix.capture.ffm.BpfSession;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.privacy.keys.Redactor;
import dev.tracefix.capture.probe.KernelFeatures;
import dev.tracefix.capture.proc.CgroupPaths;
import dev.tracefix.capture.proc.ProcFs;
import dev.tracefix.capture.proc.ProcessTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Below the privacy policy: a uprobe event names its function by symbol and by the keyed hash of
 * its binary (the same hash as the exe of a process running it) and carries the return value.
 */
class UprobeAssemblyTest {
  private static final int CALLS = 37;
  private static final int LIB_CALLS = 23;

  @TempDir Path dir;

  private Path source(String name) throws Exception {
    Path file = dir.resolve(name);
    Files.copy(getClass().getResourceAsStream("/capture/" + name), file);
    return file;
  }

  @Test
  void namesEachCallBySymbolAndBinaryHashAndKeepsItsReturnValue() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    KernelFeatures.ensureTracefs();
    Path lib = dir.resolve("libuprobe_lib.so");
    NativeBuild.gcc(source("uprobe_lib.c"), lib, "-shared", "-fPIC");
    Path exe = dir.resolve("upnames");
    NativeBuild.run(
        List.of(
            "gcc",
            "-O1",
            "-Wall",
            "-DWITH_LIB",
            "-fPIE",
            "-pie",
            "-o",
            exe.toString(),
            source("uprobe_workload.c").toString(),
            "-L" + dir,
            "-luprobe_lib",
            "-Wl,-rpath," + dir));
    Path object = dir.resolve("net_trace.bpf.o");
    Files.copy(getClass().getResourceAsStream("/bpf/net_trace.bpf.o"), object);
    List<UprobeResolver.ResolvedUprobe> targets =
        UprobeResolver.resolve(
            List.of(
                new UprobeTarget(exe, "tracefix_work"),
                new UprobeTarget(lib, "tracefix_lib_work")));

    HmacKey key = KeyStore.current(dir.resolve("keys"));
    ProcFs proc = ProcFs.system();
    Redactor redactor = new Redactor(key, proc.bootId());
    List<SafeEvent> events = new ArrayList<>();
    List<SafeProcess> processes = new ArrayList<>();
    SafeEventSink sink =
        new SafeEventSink() {
          @Override
          public void onProcess(SafeProcess process) {
            processes.add(process);
          }

          @Override
          public void onEvents(List<SafeEvent> batch) {
            events.addAll(batch);
          }
        };
    SafeEventAssembler assembler =
        new SafeEventAssembler(
            redactor,
            new ProcessTable(proc, CgroupPaths.system()),
            sink,
            SafeEventAssembler.measureBootOffsetNs(),
            targets);
    int exitCode;
    try (BpfSession session = BpfSession.open(object);
        CommandLauncher command =
            CommandLauncher.startHeld(List.of(exe.toString(), "" + CALLS, "" + LIB_CALLS))) {
      session.maps().setRodataBool("filter_enabled", true);
      session.load();
      session.openRingBuffer("events");
      session.attach(section -> section.startsWith("tracepoint/sched/"));
      for (UprobeResolver.ResolvedUprobe u : targets) {
        session.attachUprobe(
            "handle_uprobe_entry", false, u.realPath(), u.fileOffset(), u.probeId());
        session.attachUprobe(
            "handle_uprobe_return", true, u.realPath(), u.fileOffset(), u.probeId());
      }
      command.awaitGate();
      session.maps().putU32("traced_tgids", Math.toIntExact(command.pid()));
      command.release();
      while (command.isAlive()) {
        assembler.accept(session.poll(100));
      }
      session.detach();
      assembler.accept(session.drain());
      assembler.flush();
      exitCode = command.waitFor();
    }

    assertEquals(0, exitCode);
    List<SafeEvent> calls = events.stream().filter(e -> e.type() == EventType.UPROBE).toList();
    var bySymbol = calls.stream().collect(Collectors.groupingBy(SafeEvent::symbol));
    Set<Long> exeReturns = returns(bySymbol.get("tracefix_work"));
    Set<Long> libReturns = returns(bySymbol.get("tracefix_lib_work"));
    SafeProcess workload =
        // The last announcement: the gate shell may be announced under the program's comm too.
        processes.stream()
            .filter(p -> p.comm().equals("upnames"))
            .reduce((first, second) -> second)
            .orElseThrow();
    System.out.printf(
        "uprobe events by symbol: tracefix_work %d, tracefix_lib_work %d; binary hashes %s;"
            + " workload exe hash %s%n",
        bySymbol.getOrDefault("tracefix_work", List.of()).size(),
        bySymbol.getOrDefault("tracefix_lib_work", List.of()).size(),
        calls.stream().map(SafeEvent::binaryHash).collect(Collectors.toCollection(TreeSet::new)),
        workload.exeHash());

    assertEquals(CALLS, bySymbol.get("tracefix_work").size());
    assertEquals(LIB_CALLS, bySymbol.get("tracefix_lib_work").size());
    assertEquals(values(CALLS, 2, 1), exeReturns, "tracefix_work(i) returns 2i + 1");
    assertEquals(values(LIB_CALLS, 3, 7), libReturns, "tracefix_lib_work(i) returns 3i + 7");
    assertNotNull(workload.exeHash());
    assertEquals(
        Set.of(workload.exeHash()),
        bySymbol.get("tracefix_work").stream()
            .map(SafeEvent::binaryHash)
            .collect(Collectors.toSet()),
        "the executable's functions join its processes by exe hash");
    assertEquals(
        Set.of(redactor.exeHash(lib.toRealPath().toString())),
        bySymbol.get("tracefix_lib_work").stream()
            .map(SafeEvent::binaryHash)
            .collect(Collectors.toSet()));
    assertEquals(
        Set.of(workload.token()),
        calls.stream().map(SafeEvent::processToken).collect(Collectors.toSet()));
  }

  private static Set<Long> returns(List<SafeEvent> events) {
    return events.stream().map(SafeEvent::returnValue).collect(Collectors.toSet());
  }

  private static Set<Long> values(int n, long times, long plus) {
    return LongStream.range(0, n).map(i -> times * i + plus).boxed().collect(Collectors.toSet());
  }
}

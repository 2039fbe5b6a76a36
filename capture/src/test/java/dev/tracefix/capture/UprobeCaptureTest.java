package dev.tracefix.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every call of a probed function by the traced command becomes exactly one uprobe event. */
class UprobeCaptureTest {
  private static final int CALLS = 37;
  private static final int LIB_CALLS = 23;

  @TempDir Path dir;

  private Path source(String name) throws Exception {
    Path file = dir.resolve(name);
    Files.copy(getClass().getResourceAsStream("/capture/" + name), file);
    return file;
  }

  private CaptureSummary capture(List<String> command, UprobeTarget target, RecordingSinkRef ref) {
    return Capture.run(
        new CaptureConfig(
            Duration.ofSeconds(60),
            OptionalInt.empty(),
            command,
            dir.resolve("keys"),
            0,
            Set.of(),
            List.of(target)),
        ref.sink);
  }

  private record RecordingSinkRef(CaptureTest.RecordingSink sink) {
    RecordingSinkRef() {
      this(new CaptureTest.RecordingSink());
    }

    List<SafeEvent> uprobeEventsOf(String comm) {
      SafeProcess proc =
          sink.processes.stream()
              .filter(p -> p.comm().equals(comm))
              .findFirst()
              .orElseThrow(() -> new AssertionError(comm + " not announced: " + sink.processes));
      return sink.events.stream()
          .filter(e -> e.processToken().equals(proc.token()) && e.type() == EventType.UPROBE)
          .toList();
    }
  }

  private void assertExactCalls(
      String label,
      String comm,
      int expected,
      String symbol,
      CaptureSummary summary,
      RecordingSinkRef ref) {
    List<SafeEvent> calls = ref.uprobeEventsOf(comm);
    long positive = calls.stream().filter(e -> e.durationNs() > 0).count();
    TypeStats stats =
        summary.stats().stream().filter(t -> t.type().equals("uprobe")).findFirst().orElseThrow();
    System.out.printf(
        "%s: %d uprobe events for %s (expected %d), %d with duration > 0, min duration %d ns,"
            + " stats %s, probes %s%n",
        label,
        calls.size(),
        symbol,
        expected,
        positive,
        calls.stream().mapToLong(SafeEvent::durationNs).min().orElse(-1),
        stats,
        summary.probes());
    assertEquals(0, summary.commandExitCode(), "workload exit code");
    assertEquals(expected, calls.size(), label + ": uprobe events of the workload");
    assertEquals(expected, positive, "every call has a duration");
    // The symbol and binary hash are policy fields: null until the policy names them.
    assertTrue(calls.stream().allMatch(e -> e.symbol() == null || e.symbol().equals(symbol)));
    assertTrue(stats.balanced(), stats::toString);
    assertEquals(expected, stats.stored(), "only the workload calls the probed function");
    assertTrue(summary.probes().contains("uprobe:" + symbol), summary.probes()::toString);
    assertTrue(summary.probes().contains("uretprobe:" + symbol), summary.probes()::toString);
    assertTrue(summary.probes().stream().noneMatch(p -> p.contains(dir.toString())));
  }

  @Test
  void countsEveryCallOfAFunctionInAFixedAddressExecutable() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path exe = NativeBuild.gcc(source("uprobe_workload.c"), dir.resolve("upfixed"), "-no-pie");
    RecordingSinkRef ref = new RecordingSinkRef();
    CaptureSummary summary =
        capture(List.of(exe.toString(), "" + CALLS), new UprobeTarget(exe, "tracefix_work"), ref);
    assertExactCalls("fixed-address executable", "upfixed", CALLS, "tracefix_work", summary, ref);
  }

  @Test
  void countsEveryCallOfAFunctionInAPieExecutable() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path exe = NativeBuild.gcc(source("uprobe_workload.c"), dir.resolve("uppie"), "-fPIE", "-pie");
    RecordingSinkRef ref = new RecordingSinkRef();
    CaptureSummary summary =
        capture(
            List.of(exe.toString(), "" + CALLS), UprobeTarget.parse(exe + ":tracefix_work"), ref);
    assertExactCalls("PIE executable", "uppie", CALLS, "tracefix_work", summary, ref);
  }

  @Test
  void countsEveryCallOfASharedLibraryFunction() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path lib = dir.resolve("libuprobe_lib.so");
    NativeBuild.gcc(source("uprobe_lib.c"), lib, "-shared", "-fPIC");
    Path exe = dir.resolve("uplib");
    NativeBuild.run(
        List.of(
            "gcc",
            "-O1",
            "-Wall",
            "-DWITH_LIB",
            "-o",
            exe.toString(),
            source("uprobe_workload.c").toString(),
            "-L" + dir,
            "-luprobe_lib",
            "-Wl,-rpath," + dir));
    RecordingSinkRef ref = new RecordingSinkRef();
    // The executable's own function runs CALLS times but is not probed here.
    CaptureSummary summary =
        capture(
            List.of(exe.toString(), "" + CALLS, "" + LIB_CALLS),
            new UprobeTarget(lib, "tracefix_lib_work"),
            ref);
    assertExactCalls("shared library", "uplib", LIB_CALLS, "tracefix_lib_work", summary, ref);
  }

  @Test
  void aSymbolTheBinaryDoesNotDefineIsAUserErrorSuggestingNm() throws Exception {
    Path exe = NativeBuild.gcc(source("uprobe_workload.c"), dir.resolve("upmissing"));
    CaptureException e =
        assertThrows(
            CaptureException.class,
            () ->
                capture(
                    List.of(exe.toString()),
                    new UprobeTarget(exe, "no_such_function"),
                    new RecordingSinkRef()));
    System.out.println("missing symbol: " + e.getMessage());
    assertEquals(CaptureException.Kind.USER, e.kind());
    assertTrue(e.getMessage().contains("'no_such_function'"), e.getMessage());
    assertTrue(e.getMessage().contains(exe.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("nm -D " + exe), e.getMessage());
  }

  @Test
  void aMissingBinaryIsAUserErrorNamingIt() {
    Path missing = dir.resolve("not-there");
    CaptureException e =
        assertThrows(
            CaptureException.class,
            () ->
                capture(
                    List.of("true"),
                    UprobeTarget.parse(missing + ":main"),
                    new RecordingSinkRef()));
    System.out.println("missing binary: " + e.getMessage());
    assertEquals(CaptureException.Kind.USER, e.kind());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void aTargetWithoutASymbolIsAUserError() {
    CaptureException e =
        assertThrows(CaptureException.class, () -> UprobeTarget.parse("/usr/bin/true"));
    assertEquals(CaptureException.Kind.USER, e.kind());
    assertEquals("uprobe", EventType.UPROBE.columnValue());
  }
}

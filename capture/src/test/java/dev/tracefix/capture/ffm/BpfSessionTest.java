package dev.tracefix.capture.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.KernelAssumptions;
import dev.tracefix.capture.NativeBuild;
import dev.tracefix.capture.probe.KernelFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpfSessionTest {
  @TempDir Path dir;

  private static void assumeLibbpf() {
    BpfSession.libbpfUnavailableReason()
        .ifPresent(
            reason -> {
              if ("true".equals(System.getenv("CI"))) {
                fail("CI=true requires libbpf, but: " + reason);
              }
              assumeTrue(false, reason);
            });
  }

  private static Path netTraceObject(Path dir) throws Exception {
    Path copy = dir.resolve("net_trace.bpf.o");
    Files.copy(BpfSessionTest.class.getResourceAsStream("/bpf/net_trace.bpf.o"), copy);
    return copy;
  }

  @Test
  void aFileThatIsNotABpfObjectFailsInTheOpenStageWithLibbpfsMessage() throws Exception {
    assumeLibbpf();
    Path junk = Files.writeString(dir.resolve("junk.bpf.o"), "not an ELF object\n");

    CaptureException e = assertThrows(CaptureException.class, () -> BpfSession.open(junk));

    assertEquals(CaptureException.Kind.LIBBPF, e.kind());
    assertTrue(e.getMessage().startsWith("libbpf open of " + junk), e.getMessage());
    assertTrue(e.getMessage().contains("bpf_object__open_file"), e.getMessage());
    assertTrue(e.getMessage().contains("libbpf log:"), e.getMessage());
  }

  @Test
  void anUnknownSettingFailsInTheConfigureStage() throws Exception {
    assumeLibbpf();
    try (BpfSession session = BpfSession.open(netTraceObject(dir))) {
      CaptureException e =
          assertThrows(
              CaptureException.class, () -> session.maps().setRodataBool("no_such_setting", true));
      assertEquals(CaptureException.Kind.LIBBPF, e.kind());
      assertTrue(
          e.getMessage().contains("configure") && e.getMessage().contains("no_such_setting"),
          e.getMessage());
    }
  }

  @Test
  void aProgramTheVerifierRejectsFailsInTheLoadStageWithTheVerifierLog() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Path source = dir.resolve("rejected.bpf.c");
    Files.copy(BpfSessionTest.class.getResourceAsStream("/ffm/rejected_by_verifier.bpf.c"), source);
    Path object = dir.resolve("rejected.bpf.o");
    NativeBuild.run(
        List.of(
            "clang",
            "-O2",
            "-g",
            "-target",
            "bpf",
            "-D__TARGET_ARCH_x86",
            "-I/usr/include/x86_64-linux-gnu",
            "-c",
            source.toString(),
            "-o",
            object.toString()));

    try (BpfSession session = BpfSession.open(object)) {
      CaptureException e = assertThrows(CaptureException.class, session::load);

      assertEquals(CaptureException.Kind.LIBBPF, e.kind());
      assertTrue(e.getMessage().startsWith("libbpf load of " + object), e.getMessage());
      assertTrue(
          e.getMessage().contains("map_value_or_null"), "verifier log kept: " + e.getMessage());
    }
  }

  @Test
  void anUnknownTracepointFailsInTheAttachStageNamingItAndWhereToLook() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    KernelFeatures.ensureTracefs();
    Path source = dir.resolve("unknown_tracepoint.bpf.c");
    Files.copy(BpfSessionTest.class.getResourceAsStream("/ffm/unknown_tracepoint.bpf.c"), source);
    Path object = dir.resolve("unknown_tracepoint.bpf.o");
    NativeBuild.run(
        List.of(
            "clang",
            "-O2",
            "-g",
            "-target",
            "bpf",
            "-I/usr/include/x86_64-linux-gnu",
            "-c",
            source.toString(),
            "-o",
            object.toString()));

    try (BpfSession session = BpfSession.open(object)) {
      session.load();
      CaptureException e = assertThrows(CaptureException.class, () -> session.attach(s -> true));

      assertEquals(CaptureException.Kind.LIBBPF, e.kind());
      assertTrue(
          e.getMessage()
              .startsWith("tracepoint tracefix_none/no_such_event does not exist on this kernel"),
          e.getMessage());
      assertTrue(e.getMessage().contains("ls /sys/kernel/tracing/events/tracefix_none/"));
      assertTrue(e.getMessage().contains("libbpf attach of " + object), e.getMessage());
    }
  }

  @Test
  void loadsAttachesAndDetachesTheNetTraceProgramsWithAnEmptyDropCounter() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    dev.tracefix.capture.probe.KernelFeatures.ensureTracefs();
    try (BpfSession session = BpfSession.open(netTraceObject(dir))) {
      session.maps().setRodataBool("filter_enabled", true);
      session.load();
      session.openRingBuffer("events");
      List<String> probes = session.attachAll();

      assertEquals(
          Set.of(
              "tracepoint/syscalls/sys_enter_sendto",
              "tracepoint/syscalls/sys_exit_sendto",
              "tracepoint/syscalls/sys_enter_write",
              "tracepoint/syscalls/sys_exit_write",
              "tracepoint/syscalls/sys_enter_writev",
              "tracepoint/syscalls/sys_exit_writev",
              "tracepoint/tcp/tcp_retransmit_skb",
              "tp_btf/inet_sock_set_state",
              "tp_btf/sock_recv_length",
              "tracepoint/syscalls/sys_exit_accept",
              "tracepoint/syscalls/sys_exit_accept4",
              "tracepoint/sched/sched_process_exec",
              "tracepoint/sched/sched_process_fork",
              "tracepoint/sched/sched_process_exit",
              "tracepoint/raw_syscalls/sys_enter",
              "tracepoint/raw_syscalls/sys_exit",
              "tracepoint/tcp/tcp_send_reset",
              "tracepoint/tcp/tcp_receive_reset",
              "tracepoint/sched/sched_switch",
              "raw_tracepoint/sched_process_fork",
              // The stats group: the syscall-specific tracepoints counted in the kernel.
              "tracepoint/syscalls/sys_enter_accept",
              "tracepoint/syscalls/sys_enter_accept4",
              "tracepoint/syscalls/sys_enter_connect",
              "tracepoint/syscalls/sys_exit_connect",
              "tracepoint/syscalls/sys_enter_close",
              "tracepoint/syscalls/sys_exit_close",
              "tracepoint/syscalls/sys_enter_shutdown",
              "tracepoint/syscalls/sys_exit_shutdown",
              "tracepoint/syscalls/sys_enter_read",
              "tracepoint/syscalls/sys_exit_read",
              "tracepoint/syscalls/sys_enter_readv",
              "tracepoint/syscalls/sys_exit_readv",
              "tracepoint/syscalls/sys_enter_recvfrom",
              "tracepoint/syscalls/sys_exit_recvfrom",
              "tracepoint/syscalls/sys_enter_recvmsg",
              "tracepoint/syscalls/sys_exit_recvmsg",
              "tracepoint/syscalls/sys_enter_sendmsg",
              "tracepoint/syscalls/sys_exit_sendmsg",
              "tracepoint/syscalls/sys_enter_openat",
              "tracepoint/syscalls/sys_exit_openat"),
          Set.copyOf(probes));
      // The filter map is empty, so nothing is traced: nothing to read, nothing dropped.
      assertTrue(session.drain().isEmpty());
      long[] drops = session.maps().sumPerCpuSlots("drops", NetTraceLayout.EVENT_TYPES);
      assertEquals(0, Arrays.stream(drops).sum());
      session.detach();
      assertFalse(probes.isEmpty());
    }
  }
}

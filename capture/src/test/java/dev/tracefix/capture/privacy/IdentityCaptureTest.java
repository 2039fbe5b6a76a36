package dev.tracefix.capture.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.EventType;
import dev.tracefix.capture.KernelAssumptions;
import dev.tracefix.capture.NativeBuild;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.UprobeTarget;
import dev.tracefix.capture.proc.CgroupPaths;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants secrets and a person's name in every identity channel a traced program controls — the name
 * of the link it is started through, {@code prctl(PR_SET_NAME)}, a thread named with {@code
 * pthread_setname_np}, a thread renamed through {@code /proc/self/task/TID/comm}, the cgroup
 * directory it runs in, the name of a function it is asked to be probed on — and checks that none
 * reaches the sink or the capture's probe list, raw, cut to the kernel's 15 bytes, or in path-safe
 * form.
 */
class IdentityCaptureTest {
  /** The cgroup2 mount: /sys/fs/cgroup, or e.g. /sys/fs/cgroup/unified on a hybrid host. */
  private static final Path CGROUP_ROOT =
      CgroupPaths.system().mount().orElse(Path.of("/sys/fs/cgroup"));

  @TempDir Path dir;

  @Test
  void noPlantedIdentityValueReachesTheSink() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    Map<String, String> planted = new LinkedHashMap<>();
    planted.put("link name", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9");
    planted.put("prctl name", "password_hunter2");
    planted.put("pthread name", "MariaGonzalez");
    planted.put("/proc comm", "Bearer_s3cr3tT0k");
    planted.put(
        "cgroup directory",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0T");
    planted.put("uprobe symbol", "api_key_AbC123xyz9");

    Path source = dir.resolve("identity_workload.c");
    Files.copy(getClass().getResourceAsStream("/capture/identity_workload.c"), source);
    Path binary =
        NativeBuild.gcc(
            source,
            dir.resolve("identity-workload"),
            "-pthread",
            "-DPROBED_SYMBOL=" + planted.get("uprobe symbol"));
    Path link = Files.createSymbolicLink(dir.resolve(planted.get("link name")), binary);
    Path cgroup = CGROUP_ROOT.resolve(planted.get("cgroup directory"));
    Files.createDirectory(cgroup);

    PrivacyCaptureTest.RecordingSink sink = new PrivacyCaptureTest.RecordingSink();
    CaptureSummary summary;
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      List<String> command =
          List.of(
              "sh",
              "-c",
              "echo $$ > \"$1/cgroup.procs\" && exec \"$2\" \"$3\" \"$4\" \"$5\" \"$6\"",
              "sh",
              cgroup.toString(),
              link.toString(),
              "" + receiver.getLocalPort(),
              planted.get("prctl name"),
              planted.get("pthread name"),
              planted.get("/proc comm"));
      summary =
          Capture.run(
              new CaptureConfig(
                  Duration.ofSeconds(60),
                  OptionalInt.empty(),
                  command,
                  dir.resolve("keys"),
                  0,
                  Set.of(),
                  List.of(new UprobeTarget(binary, planted.get("uprobe symbol")))),
              sink);
    } finally {
      removeCgroup(cgroup);
    }

    assertEquals(0, summary.commandExitCode());
    List<SafeEvent> uprobes =
        sink.events.stream().filter(e -> e.type() == EventType.UPROBE).toList();
    assertEquals(5, uprobes.size(), "uprobe events: " + uprobes);
    assertTrue(
        uprobes.stream().allMatch(e -> e.symbol().matches("<SECRET_PREFIX:[0-9a-f]{8}>")),
        uprobes::toString);
    assertTrue(
        sink.processes.stream()
            .anyMatch(p -> p.cgroup() != null && p.cgroup().contains("<CGROUP:")),
        sink.processes::toString);

    String everything =
        sink.processes + "\n" + sink.events + "\n" + summary.probes() + "\n" + summary;
    List<String> leaks = new ArrayList<>();
    for (var p : planted.entrySet()) {
      for (String form : forms(p.getValue())) {
        if (everything.contains(form)) {
          leaks.add(p.getKey() + ": " + form);
        }
      }
    }
    System.out.printf(
        "identity channels: %d planted values, %d processes announced (comms %s), %d leaks%n",
        planted.size(),
        sink.processes.size(),
        sink.processes.stream().map(SafeProcess::comm).toList(),
        leaks.size());
    assertEquals(List.of(), leaks, () -> "planted values reached the sink:\n" + everything);
  }

  /** A cgroup can be removed once its last task is reaped, which may lag the exit a little. */
  private static void removeCgroup(Path cgroup) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        Files.deleteIfExists(cgroup);
        return;
      } catch (java.nio.file.DirectoryNotEmptyException busy) {
        if (attempt == 50) {
          throw busy;
        }
        Thread.sleep(100);
      }
    }
  }

  /** The value, its first 15 bytes (the kernel's comm), and its path-safe form. */
  static List<String> forms(String value) {
    List<String> forms = new ArrayList<>();
    forms.add(value);
    if (value.length() > 15) {
      forms.add(value.substring(0, 15));
    }
    forms.add(value.replaceAll("[^A-Za-z0-9@._:+-]", "_"));
    return forms;
  }
}

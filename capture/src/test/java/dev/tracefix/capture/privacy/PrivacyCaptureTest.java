package dev.tracefix.capture.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.KernelAssumptions;
import dev.tracefix.capture.NativeBuild;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.privacy.recognize.SeededCorpus;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants corpus values where a real traced process exposes them (its executable's file name, so its
 * comm; its directory, so its exe path and working directory; its argv) and checks that nothing the
 * sink receives contains any of them.
 */
class PrivacyCaptureTest {
  private static final Set<String> PATH_SAFE =
      Set.of("EMAIL", "IPV4", "CARD", "SSN", "IBAN", "JWT", "AWS_KEY_ID", "GITHUB_TOKEN", "PHONE");

  @TempDir Path dir;

  @Test
  void noPlantedValueReachesTheSinkFromCommPathsOrArgv() throws Exception {
    KernelAssumptions.assumeCaptureAvailable();
    List<String> planted = new ArrayList<>();
    for (SeededCorpus.Planted p : new SeededCorpus(99L).generate(3)) {
      if (PATH_SAFE.contains(p.type()) && !p.secret().contains(" ") && !p.secret().contains("/")) {
        planted.add(p.secret());
      }
    }
    String email = "alice.smith@example.com"; // comm keeps 15 bytes: alice.smith@exa
    planted.add(email);
    planted.add("alice.smith");
    Path home = dir.resolve("home").resolve("mallory");
    planted.add("mallory");
    Path work = Files.createDirectories(home.resolve(String.join("-", planted.subList(0, 6))));
    Path source = dir.resolve("sendto-workload.c");
    Files.copy(getClass().getResourceAsStream("/capture/sendto_workload.c"), source);
    Path binary = NativeBuild.gcc(source, work.resolve(email));

    RecordingSink sink = new RecordingSink();
    CaptureSummary summary;
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  "sh",
                  "-c",
                  "cd \"$(dirname \"$0\")\" && exec \"$0\" 3 1 $1 \"$PWD/pid\"",
                  binary.toString(),
                  "" + receiver.getLocalPort()));
      command.addAll(planted); // extra argv of the shell
      // No syscall events: the shell's own syscalls before its exec would announce the process
      // as "sh", and this test is about the comm of the program it becomes.
      summary =
          Capture.run(
              new CaptureConfig(
                  Duration.ofSeconds(60),
                  OptionalInt.empty(),
                  command,
                  dir.resolve("keys"),
                  0,
                  Set.of()),
              sink);
    }

    assertEquals(0, summary.commandExitCode());
    assertTrue(sink.events.size() >= 4, "events: " + sink.events.size());
    List<String> comms = sink.processes.stream().map(SafeProcess::comm).toList();
    assertTrue(comms.stream().anyMatch(c -> c.matches("<EMAIL:[0-9a-f]{8}>")), comms.toString());
    String everything = sink.processes + "\n" + sink.events;
    for (String value : planted) {
      assertFalse(everything.contains(value), () -> value + " reached the sink: " + everything);
    }
    assertFalse(everything.contains("alice.smith@exa"));
    assertTrue(sink.events.stream().allMatch(e -> e.keyId().equals(summary.keyId())));
  }

  /** Keeps what the capture delivers; shared by the privacy capture tests. */
  static final class RecordingSink implements SafeEventSink {
    final List<SafeProcess> processes = Collections.synchronizedList(new ArrayList<>());
    final List<SafeEvent> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onProcess(SafeProcess process) {
      processes.add(process);
    }

    @Override
    public void onEvents(List<SafeEvent> batch) {
      events.addAll(batch);
    }
  }
}

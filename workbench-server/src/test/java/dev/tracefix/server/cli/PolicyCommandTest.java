package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandTest {
  private static final Path DEFAULT_POLICY = Path.of("..", "policies", "default.yaml");

  private static CliRun execute(String... args) {
    return CliRun.of(args);
  }

  @Test
  void policyTestRunsTheTestsNextToTheDefaultPolicy() {
    CliRun run = execute("policy", "test", DEFAULT_POLICY.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("PASS a field the policy does not name is dropped"), run.out());
    assertTrue(run.out().matches("(?s).*default sha256:[0-9a-f]{32}: \\d+ tests, 0 failed.*"));
  }

  @Test
  void explainSaysPerFieldWhatIsKept() {
    CliRun run = execute("policy", "explain");
    assertEquals(0, run.exit(), run.err());
    assertTrue(
        run.out().contains("peer_hash      keep when event.type != \"socket_write\""), run.out());
    assertTrue(run.out().contains("any other event type or field: dropped"), run.out());
  }

  @Test
  void aMalformedPolicyIsRefusedWithLineAndReason(@TempDir Path dir) throws Exception {
    Path bad =
        Files.writeString(
            dir.resolve("bad.yaml"), "policy: bad\nevents:\n  sendto:\n    bytes: maybe\n");
    CliRun run = execute("policy", "explain", bad.toString());
    assertEquals(2, run.exit());
    assertTrue(run.err().contains(bad + ":4: unknown action 'maybe'"), run.err());
  }

  @Test
  void keysRotateListAndDestroyWithoutPrintingSecrets(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("keys");
    CliRun first = execute("policy", "rotate-key", "--keys", keys.toString());
    CliRun second = execute("policy", "rotate-key", "--keys", keys.toString());
    assertEquals(0, second.exit(), second.err());
    CliRun list = execute("policy", "keys", "--keys", keys.toString());
    String[] lines = list.out().strip().split("\n");
    assertEquals(3, lines.length, list.out());
    String old = lines[1].split(" ")[0];
    String secret = Files.readString(keys.resolve(old + ".key")).strip();
    assertFalse(list.out().contains(secret) || first.out().contains(secret));

    CliRun destroy = execute("policy", "destroy-key", old, "--keys", keys.toString());
    assertEquals(0, destroy.exit(), destroy.err());
    assertFalse(Files.exists(keys.resolve(old + ".key")));
    CliRun current =
        execute("policy", "destroy-key", lines[0].split(" ")[0], "--keys", keys.toString());
    assertEquals(2, current.exit());
    assertTrue(current.err().contains("rotate it first"), current.err());
  }
}

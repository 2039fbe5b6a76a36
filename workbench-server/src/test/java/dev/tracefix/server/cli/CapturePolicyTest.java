package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracefix capture --policy FILE}: the file on disk is the policy in force, and one that
 * does not parse, names an unknown field or fails its own tests stops the capture before anything
 * is created, naming the line.
 */
class CapturePolicyTest {
  @TempDir Path dir;

  private CliRun capture(Path policy) {
    return CliRun.of(
        "capture",
        "--db",
        dir.resolve("out.duckdb").toString(),
        "--keys",
        dir.resolve("keys").toString(),
        "--duration",
        "1s",
        "--policy",
        policy.toString());
  }

  @Test
  void aPolicyThatDoesNotParseStopsTheCaptureNamingItsLine() throws Exception {
    Path policy = dir.resolve("broken.yaml");
    Files.writeString(
        policy, "policy: broken\nevents:\n  \"*\":\n    time_ns: keep\n    bytes: [\n");
    CliRun run = capture(policy);
    assertNotEquals(0, run.exit());
    assertTrue(run.err().contains("broken.yaml:"), run.err());
    assertTrue(run.err().contains("policy refused"), run.err());
    assertFalse(Files.exists(dir.resolve("out.duckdb")), "nothing is created for a refused policy");
  }

  @Test
  void aPolicyNamingAnUnknownFieldIsRefusedWithItsLine() throws Exception {
    Path policy = dir.resolve("typo.yaml");
    Files.writeString(
        policy, "policy: typo\nevents:\n  \"*\":\n    time_ns: keep\n    byts: keep\n");
    CliRun run = capture(policy);
    assertNotEquals(0, run.exit());
    assertTrue(run.err().contains("typo.yaml:5"), run.err());
    assertTrue(run.err().contains("byts"), run.err());
    assertFalse(Files.exists(dir.resolve("out.duckdb")));
  }

  @Test
  void aPolicyWhoseTestsFailIsRefused() throws Exception {
    Path policy = dir.resolve("strict.yaml");
    Files.writeString(policy, "policy: strict\nevents:\n  \"*\":\n    time_ns: keep\n");
    Files.writeString(
        dir.resolve("strict.tests.yaml"),
        "- name: bytes are kept\n  type: sendto\n  input: {time_ns: 1, bytes: 3}\n"
            + "  expect: {time_ns: 1, bytes: 3}\n");
    CliRun run = capture(policy);
    assertNotEquals(0, run.exit());
    assertTrue(run.err().contains("1 of 1 policy tests fail"), run.err());
  }

  @Test
  void theCheckoutPolicyIsTheDefaultAndIsNamedWithItsHash() throws Exception {
    Path checkout = ProjectPaths.defaultPolicy();
    assertEquals(
        ProjectPaths.home().resolve("policies").resolve("default.yaml"),
        checkout,
        "the checkout's policy is the default");
    // A capture without --policy says which file it applies before anything else happens.
    CliRun run =
        CliRun.of(
            "capture",
            "--db",
            dir.resolve("out.duckdb").toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--duration",
            "0s");
    assertTrue(
        run.err().contains("policy default from ") && run.err().contains("sha256:"), run.err());
  }
}

package dev.tracefix.capture.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.capture.privacy.policy.RetentionRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped policy passes the tests that live next to it; a policy failing its tests is refused.
 */
class DefaultPolicyTest {
  @TempDir Path dir;

  @Test
  void theDefaultPolicyPassesEveryTestInDefaultTestsYaml() throws IOException {
    Policy policy = PolicyLoader.loadDefault();
    List<PolicyTests.Result> results =
        PolicyTests.run(policy, "default.tests.yaml", resource("/policies/default.tests.yaml"));
    results.forEach(System.out::println);
    assertTrue(results.size() >= 5, "tests found: " + results.size());
    assertTrue(results.stream().allMatch(PolicyTests.Result::passed), results.toString());
    assertTrue(policy.hash().matches("sha256:[0-9a-f]{32}"), policy.hash());
  }

  @Test
  void theDefaultPolicyKeepsEventsFourteenDaysAndExplainSaysSoWithTheLine() {
    Policy policy = PolicyLoader.loadDefault();
    assertEquals(
        List.of("events=14d", "captures=90d"),
        policy.retention().stream().map(RetentionRule::spec).toList());
    String explained = PolicyExplainer.explain(policy);
    System.out.println(explained);
    int line = policy.retention().get(0).line();
    assertTrue(line > 1, "line " + line);
    assertTrue(
        explained.contains("events         deleted after 14d  (line " + line + ")"), explained);
    assertTrue(
        explained.contains("captures       deleted after 90d  (line " + (line + 1) + ")"),
        explained);
  }

  @Test
  void aPolicyWhoseTestsFailIsRefusedAtLoad() throws IOException {
    Path policy = dir.resolve("leaky.yaml");
    Files.writeString(policy, "policy: leaky\nevents:\n  \"*\":\n    bytes: keep\n");
    Files.writeString(
        dir.resolve("leaky.tests.yaml"),
        """
        - name: sizes are bucketed
          type: sendto
          input: {bytes: 1000}
          expect: {bytes: 1024}
        """);
    CaptureException e = assertThrows(CaptureException.class, () -> PolicyLoader.load(policy));
    assertTrue(e.getMessage().contains("1 of 1 policy tests fail"), e.getMessage());
    assertTrue(e.getMessage().contains("sizes are bucketed (line 1)"), e.getMessage());
    assertEquals(CaptureException.Kind.USER, e.kind());
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DefaultPolicyTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

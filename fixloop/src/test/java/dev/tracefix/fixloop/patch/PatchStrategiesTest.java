package dev.tracefix.fixloop.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.TestRepo;
import dev.tracefix.fixloop.repro.GitRepos;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.ReproHarness;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.WorkTrees;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each strategy on a repository where the ones before it cannot give an acceptable patch, and the
 * guardrails refusing what a (stub) drafting model proposes.
 */
class PatchStrategiesTest {
  @TempDir Path temp;

  private static final String JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/";

  private PatchReport patch(
      TestRepo repo,
      String culprit,
      Map<String, String> spec,
      Optional<InputTable> input,
      List<PatchStrategy> strategies,
      boolean all) {
    try (Repository git = GitRepos.open(repo.dir());
        WorkTrees trees =
            new WorkTrees(
                git,
                temp.resolve("trees"),
                new ReproHarness(
                    ReproSpec.fromMap(spec, repo.dir(), "test"),
                    temp.resolve("scratch"),
                    Control.lines(
                        l -> System.out.println("  " + l),
                        new dev.tracefix.fixloop.Cancellation())),
                6)) {
      PatchReport report =
          new Patcher(trees, strategies, temp.resolve("patch"))
              .patch(new Patcher.Request(culprit, "HEAD", input, "INC-1", Optional.empty(), all));
      report.lines().forEach(System.out::println);
      return report;
    }
  }

  private static InputTable requests(int n) {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      rows.add(List.of(i));
    }
    return new InputTable(List.of("id"), rows);
  }

  private static Map<String, String> spec(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void restoresTheChangedPoolSizeWhenRevertingTheCulpritBreaksTheRenamedKey() throws Exception {
    TestRepo repo = TestRepo.init(temp.resolve("svc"));
    repo.commit(
        "service with a connection pool",
        Map.of(
            "settings.conf", "# service settings\npool_size=8\nlog-level=info\n",
            "app.sh",
                """
            #!/usr/bin/env bash
            # serves the requests in $1 (a CSV with a header); exit 1 if the pool cannot hold them
            pool=$(grep '^pool_size=' settings.conf | cut -d= -f2)
            level=$(grep '^log-level=' settings.conf | cut -d= -f2)
            [ -n "$level" ] || { echo "no log level"; exit 1; }
            n=$(( $(wc -l < "$1") - 1 ))
            [ "$n" -le "$pool" ] || { echo "pool exhausted: $n requests, $pool connections"; exit 1; }
            echo "served $n requests"
            """));
    String culprit =
        repo.commit(
            "settings: snake_case keys, smaller pool for the new database",
            Map.of(
                "settings.conf",
                "# service settings\npool_size=2\nlog_level=info\n",
                "app.sh",
                repo.dir().resolve("app.sh").toFile().exists()
                    ? java.nio.file.Files.readString(repo.dir().resolve("app.sh"))
                        .replace("'^log-level='", "'^log_level='")
                    : ""));
    repo.commit(
        "check: settings use snake_case keys",
        Map.of(
            "check.sh",
            "#!/usr/bin/env bash\ngrep -q '^log_level=' settings.conf && bash app.sh <(printf 'id\\n1\\n') >/dev/null\n"));
    PatchReport report =
        patch(
            repo,
            culprit,
            spec("run", "bash app.sh", "test", "bash check.sh", "timeout", "20s"),
            Optional.of(requests(5)),
            Patcher.defaultStrategies(Optional.empty()),
            false);
    CandidateReport revert = report.strategies().get(1).candidates().getFirst();
    assertEquals(RevertImplicatedHunks.NAME, revert.strategy());
    assertFalse(revert.passed());
    assertTrue(revert.reason().startsWith("target's tests: fail"), revert.reason());
    assertTrue(
        revert.log().stream()
            .anyMatch(
                l ->
                    l.contains("reverting all 2 hunks makes the repro pass; 2 of them are enough")),
        revert.log().toString());
    CandidateReport chosen = report.chosen().orElseThrow();
    assertEquals(RestoreChangedValue.NAME, chosen.strategy());
    assertTrue(
        chosen.summary().contains("2 back to 8") && chosen.summary().contains("settings.conf"),
        chosen.summary());
    assertTrue(chosen.diff().contains("-pool_size=2\n+pool_size=8\n"), chosen.diff());
    assertFalse(
        chosen.diff().contains("\n-log") || chosen.diff().contains("\n+log"),
        "the renamed key stays: " + chosen.diff());
    List<CandidateReport> restores = report.strategies().get(2).candidates();
    assertEquals(2, restores.size(), "app.sh's changed grep pattern was tried first, and refused");
    assertFalse(restores.getFirst().passed());
  }

  @Test
  void closesTheReaderTheCulpritLeakedWithTryWithResources() throws Exception {
    TestRepo repo = TestRepo.init(temp.resolve("prices"));
    String fixedPrices =
        """
        package app;

        import java.io.IOException;
        import java.nio.file.Files;
        import java.nio.file.Path;
        import java.util.List;
        import java.util.Map;

        public final class Prices {
          static final Map<String, String> FIXED = Map.of("apple", "1.20");

          static String price(Path table, String item) throws IOException {
            return FIXED.getOrDefault(item, "unknown");
          }

          public static void main(String[] args) throws IOException {
            List<String> items = Files.readAllLines(Path.of(args[0]));
            for (String item : items.subList(1, items.size())) {
              System.out.println(item + " " + price(Path.of("prices.txt"), item.strip()));
            }
          }
        }
        """;
    repo.commit("prices: a fixed list", Map.of("src/app/Prices.java", fixedPrices));
    String leaking =
        fixedPrices
            .replace(
                "import java.io.IOException;",
                "import java.io.BufferedReader;\nimport java.io.IOException;")
            .replace(
                """
                return FIXED.getOrDefault(item, "unknown");
            """,
                """
                BufferedReader reader = Files.newBufferedReader(table);
                String line;
                while ((line = reader.readLine()) != null) {
                  if (line.startsWith(item + "=")) {
                    return line.substring(item.length() + 1);
                  }
                }
                return FIXED.getOrDefault(item, "unknown");
            """);
    String culprit =
        repo.commit(
            "prices: read the price table on every lookup",
            Map.of("src/app/Prices.java", leaking, "prices.txt", "apple=1.20\nkiwi=2.10\n"));
    repo.commit(
        "check: kiwi comes from the table",
        Map.of(
            "check.sh",
            "#!/usr/bin/env bash\n"
                + JAVA
                + "java -cp out app.Prices <(printf 'item\\nkiwi\\n') | grep -q 'kiwi 2.10'\n"));
    PatchReport report =
        patch(
            repo,
            culprit,
            spec(
                "build",
                JAVA + "javac -d out $(find src -name '*.java')",
                "run",
                "ulimit -n 64; " + JAVA + "java -cp out app.Prices",
                "test",
                "bash check.sh",
                "timeout",
                "60s"),
            Optional.of(
                new InputTable(
                    List.of("item"), java.util.Collections.nCopies(300, List.<Object>of("kiwi")))),
            Patcher.defaultStrategies(Optional.empty()),
            false);
    CandidateReport chosen = report.chosen().orElseThrow(() -> new AssertionError(report.lines()));
    assertEquals(CloseLeakedResource.NAME, chosen.strategy());
    System.out.println(chosen.diff());
    assertTrue(
        chosen
            .diff()
            .contains("+    try (BufferedReader reader = Files.newBufferedReader(table)) {"),
        chosen.diff());
    assertTrue(
        report.strategies().get(1).candidates().stream().noneMatch(CandidateReport::passed),
        "reverting the culprit loses the price table, which the checks need");
  }

  @Test
  void refusesAModelDraftThatAddsASecretOrLeavesTheCulpritsFiles() throws Exception {
    TestRepo repo = TestRepo.init(temp.resolve("cfg"));
    repo.commit(
        "config", Map.of("app.properties", "db.url=jdbc:x\ndb.pool=8\n", "README.md", "cfg\n"));
    String culprit =
        repo.commit("config: smaller pool", Map.of("app.properties", "db.url=jdbc:x\ndb.pool=1\n"));
    DraftingModel leaky =
        new DraftingModel() {
          @Override
          public String name() {
            return "stub model";
          }

          @Override
          public Optional<Draft> draft(Request request) {
            assertTrue(request.culpritDiff().contains("+db.pool=1"));
            return Optional.of(
                new Draft(
                    "hard-code the password",
                    Map.of(
                        "app.properties",
                        "db.url=jdbc:x\ndb.pool=8\ndb.password=hunter2secret\n")));
          }
        };
    DraftingModel wanders =
        new DraftingModel() {
          @Override
          public String name() {
            return "stub model 2";
          }

          @Override
          public Optional<Draft> draft(Request request) {
            return Optional.of(
                new Draft("document the pool", Map.of("README.md", "cfg\npool: use 8\n")));
          }
        };
    PatchReport report =
        patch(
            repo,
            culprit,
            spec("run", "grep -q 'db.pool=8' app.properties", "timeout", "10s"),
            Optional.empty(),
            List.of(
                new ModelStrategy(Optional.of(leaky)),
                new ModelStrategy(Optional.of(wanders)),
                new RevertImplicatedHunks()),
            true);
    CandidateReport secret = report.strategies().get(0).candidates().getFirst();
    assertFalse(secret.passed());
    assertEquals("", secret.branch(), "no branch points at a diff with a secret");
    assertTrue(
        secret.reason().contains("secret scan: fail (adds [SECRET at app.properties:3])"),
        secret.reason());
    assertFalse(secret.diff().contains("hunter2secret"), secret.diff());
    CandidateReport outside = report.strategies().get(1).candidates().getFirst();
    assertTrue(
        outside.reason().startsWith("culprit's files: fail (also changes [README.md])"),
        outside.reason());
    assertEquals(RevertImplicatedHunks.NAME, report.chosen().orElseThrow().strategy());
  }

  @Test
  void findsSecretsOnlyOnAddedLinesWithCapturesRecognizers() {
    String diff =
        """
        diff --git a/c.env b/c.env
        --- a/c.env
        +++ b/c.env
        @@ -1,2 +1,3 @@
        -password=oldvalue1
         user=app
        +aws=AKIAABCDEFGHIJKLMNOP
        +-----BEGIN RSA PRIVATE KEY-----
        """;
    assertEquals(
        "[AWS_KEY_ID at c.env:2, PRIVATE_KEY at c.env:3]",
        SecretScan.addedSecrets(diff).toString());
    assertTrue(
        SecretScan.redact("key AKIAABCDEFGHIJKLMNOP").matches("key <AWS_KEY_ID:[0-9a-f]{8}>"));
  }

  @Test
  void readsAChangedValueButNotARename() {
    assertEquals(
        Optional.of("the value 50 back to 500"),
        RestoreChangedValue.describe(
            "  static final Duration T = Duration.ofMillis(500);\n",
            "  static final Duration T = Duration.ofMillis(50);\n"));
    assertEquals(Optional.empty(), RestoreChangedValue.describe("      i += 1\n", "    i += 1\n"));
    assertEquals(
        Optional.empty(), RestoreChangedValue.describe("log-level=info\n", "log_level=info\n"));
    assertTrue(
        RestoreChangedValue.describe("mode: safe\n", "mode: fast\n")
            .orElseThrow()
            .contains("mode: safe"));
  }
}

package dev.tracefix.server.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.message.CellOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each detector of the deterministic analyst on a capture that shows its pattern (it must name it,
 * with a check the workbench finds supported) and on near-miss captures that do not (it must stay
 * silent). Captures are written into the event store's own schema. Prints the precision of every
 * detector over all the clean captures.
 */
class DetectorsTest {
  @TempDir static Path repo;

  /**
   * The detectors under test; the older ones (busiest process, latency tail, ...) always say
   * something.
   */
  static final List<String> DETECTORS =
      List.of(
          "errno-burst",
          "errno-onset",
          "latency-vs-timeout",
          "network-trouble-with-errors",
          "new-build-onset",
          "fd-leak",
          "retry-storm",
          "slow-dependency",
          "resource-exhaustion",
          "rejected-answers",
          "jvm-pause-timeouts",
          "jvm-exception-burst",
          "jvm-exception-burst-new-build");

  interface Builder {
    void build(SyntheticCapture c) throws Exception;
  }

  @BeforeAll
  static void repositoryWithATimeout() throws Exception {
    Files.createDirectories(repo.resolve("config"));
    Files.writeString(
        repo.resolve("config/app.yaml"), "db:\n  host: db.internal\n  read_timeout_ms: 50\n");
  }

  /** Steady traffic: 10 sendto calls a second to two peers, 50 µs each, for a minute. */
  static void base(SyntheticCapture c) throws Exception {
    c.process("tok-api", "api", "b1");
    for (int s = 0; s < 60; s++) {
      for (int k = 0; k < 10; k++) {
        c.event(
            s + k * 0.1,
            "sendto",
            "tok-api",
            50_000 + (k * 997 % 5_000),
            1200,
            null,
            k % 2 == 0 ? "peer-a" : "peer-b",
            null,
            -1);
      }
    }
  }

  static Map<String, Builder> patterns() {
    Map<String, Builder> p = new LinkedHashMap<>();
    p.put(
        "errno-burst",
        c -> {
          base(c);
          c.process("tok-worker", "worker", "b1");
          for (int i = 0; i < 40; i++) {
            c.event(30 + i * 0.02, "sendto", "tok-worker", 15_000, 0, "EPIPE", "peer-b", null, -1);
          }
        });
    p.put(
        "errno-onset",
        c -> {
          base(c);
          c.process("tok-worker", "worker", "b1");
          for (int s = 40; s < 60; s++) {
            for (int k = 0; k < 3; k++) {
              c.event(
                  s + k * 0.3,
                  "sendto",
                  "tok-worker",
                  15_000,
                  0,
                  "ECONNREFUSED",
                  "peer-b",
                  null,
                  -1);
            }
          }
        });
    p.put(
        "latency-vs-timeout",
        c -> {
          base(c);
          c.process("tok-db", "db-client", "b1");
          for (int i = 0; i < 100; i++) {
            c.call(
                i * 0.5, "tok-db", "recvfrom", 7, i % 20 == 0 ? 80_000_000L : 5_000_000L + i, null);
          }
        });
    p.put(
        "network-trouble-with-errors",
        c -> {
          base(c);
          for (int s = 5; s <= 50; s += 5) {
            for (int k = 0; k < 3; k++) {
              c.event(
                  s + k * 0.1, "sendto", "tok-api", 20_000, 0, "ECONNRESET", "peer-a", null, -1);
            }
            c.event(s + 0.05, "tcp_retransmit", "tok-api", 0, 0, null, "peer-a", null, -1);
            c.event(s + 0.5, "tcp_retransmit", "tok-api", 0, 0, null, "peer-a", null, -1);
          }
        });
    p.put(
        "new-build-onset",
        c -> {
          c.process("tok-api-1", "api", "b1aaaaaaaaaaaaaaaa")
              .process("tok-api-2", "api", "b2bbbbbbbbbbbbbbbb");
          for (int s = 0; s < 60; s++) {
            for (int k = 0; k < 10; k++) {
              boolean newBuild = s >= 30;
              c.event(
                  s + k * 0.1,
                  "sendto",
                  newBuild ? "tok-api-2" : "tok-api-1",
                  50_000,
                  1200,
                  newBuild && k % 5 == 0 ? "ECONNRESET" : null,
                  "peer-a",
                  null,
                  -1);
            }
          }
        });
    p.put(
        "fd-leak",
        c -> {
          base(c);
          c.process("tok-leaky", "leaky", "b1");
          for (int i = 0; i < 200; i++) {
            c.call(i * 0.25, "tok-leaky", "openat", -1, 4_000, null);
            c.call(i * 0.25 + 0.01, "tok-leaky", "read", 3 + i, 2_000, null);
          }
        });
    p.put(
        "retry-storm",
        c -> {
          base(c);
          c.process("tok-client", "client", "b1");
          for (int s = 0; s < 60; s++) {
            int attempts = 1 + s / 5;
            for (int k = 0; k < attempts; k++) {
              c.call(s + k / (double) attempts, "tok-client", "connect", 9, 30_000, "ECONNREFUSED");
            }
          }
        });
    p.put(
        "rejected-answers",
        c -> {
          base(c);
          exchanges(c, 1 << 8);
        });
    p.put(
        "slow-dependency",
        c -> {
          c.process("tok-api", "api", "b1");
          for (int s = 0; s < 60; s++) {
            for (int k = 0; k < 10; k++) {
              boolean a = k % 2 == 0;
              long latency = a && s >= 30 ? 500_000 : 50_000;
              c.event(
                  s + k * 0.1,
                  "sendto",
                  "tok-api",
                  latency + k,
                  1200,
                  null,
                  a ? "peer-a" : "peer-b",
                  null,
                  -1);
            }
          }
        });
    p.put(
        "resource-exhaustion",
        c -> {
          base(c);
          c.process("tok-worker", "worker", "b1");
          for (int i = 0; i < 5; i++) {
            c.call(10 + i, "tok-worker", "openat", -1, 3_000, "EMFILE");
          }
          for (int i = 0; i < 3; i++) {
            c.call(20 + i, "tok-worker", "write", 4, 3_000, "ENOSPC");
          }
          for (int i = 0; i < 4; i++) {
            c.call(30 + i, "tok-worker", "clone", -1, 3_000, "EAGAIN");
          }
          for (int i = 0; i < 2; i++) {
            c.call(40 + i, "tok-worker", "mmap", -1, 3_000, "ENOMEM");
          }
        });
    p.put(
        "jvm-pause-timeouts",
        c -> {
          base(c);
          c.process("tok-jvm", "java", "b1");
          for (int i = 1; i <= 10; i++) {
            c.jvm(i * 5, "jdk.GCPhasePause", "tok-jvm", 50_000_000, null);
            c.call(i * 5 + 0.03, "tok-jvm", "connect", 9, 30_000_000, "ETIMEDOUT");
          }
        });
    p.put(
        "jvm-exception-burst",
        c -> {
          base(c);
          c.process("tok-jvm", "java", "b1");
          for (int s = 0; s < 30; s++) {
            c.jvm(s + 0.5, "jdk.JavaExceptionThrow", "tok-jvm", 0, "java.io.IOException");
          }
          for (int s = 30; s < 40; s++) {
            for (int k = 0; k < 50; k++) {
              c.jvm(s + k * 0.02, "jdk.JavaExceptionThrow", "tok-jvm", 0, "java.io.IOException");
            }
          }
        });
    p.put(
        "jvm-exception-burst-new-build",
        c -> {
          base(c);
          c.process("tok-jvm-1", "java", "b1aaaaaaaaaaaaaaaa")
              .process("tok-jvm-2", "java", "b2bbbbbbbbbbbbbbbb");
          for (int s = 0; s < 40; s++) {
            c.jvm(s + 0.5, "jdk.JavaExceptionThrow", "tok-jvm-1", 0, STATE_EXCEPTION);
          }
          for (int s = 40; s < 60; s++) {
            for (int k = 0; k < 30; k++) {
              c.jvm(s + k * 0.03, "jdk.JavaExceptionThrow", "tok-jvm-2", 0, STATE_EXCEPTION);
            }
          }
        });
    return p;
  }

  static final String STATE_EXCEPTION = "java.lang.IllegalStateException";

  /**
   * The exceptions of the new-build pattern (40 + 600), spread evenly over the minute: one
   * process's, or the old build's until 40 s and the new build's after.
   */
  static void evenExceptions(SyntheticCapture c, boolean newBuildAt40s) throws Exception {
    c.process("tok-jvm-1", "java", "b1aaaaaaaaaaaaaaaa");
    if (newBuildAt40s) {
      c.process("tok-jvm-2", "java", "b2bbbbbbbbbbbbbbbb");
    }
    for (int i = 0; i < 640; i++) {
      double at = i * 60.0 / 640;
      String token = newBuildAt40s && at >= 40 ? "tok-jvm-2" : "tok-jvm-1";
      c.jvm(at, "jdk.JavaExceptionThrow", token, 0, STATE_EXCEPTION);
    }
  }

  /** Near misses: each looks like an incident to a careless rule, and is not one. */
  static Map<String, Builder> cleans() {
    Map<String, Builder> p = new LinkedHashMap<>();
    p.put("steady traffic", DetectorsTest::base);
    p.put(
        "a JVM throwing as many exceptions evenly, under one build",
        c -> {
          base(c);
          evenExceptions(c, false);
        });
    p.put(
        "a new JVM build throwing as often as the one before",
        c -> {
          base(c);
          evenExceptions(c, true);
        });
    p.put(
        "JVM pauses, and timeouts far from them",
        c -> {
          base(c);
          c.process("tok-jvm", "java", "b1");
          for (int i = 1; i <= 10; i++) {
            c.jvm(i * 5, "jdk.GCPhasePause", "tok-jvm", 50_000_000, null);
            c.call(i * 5 + 2.5, "tok-jvm", "connect", 9, 30_000_000, "ETIMEDOUT");
          }
        });
    p.put(
        "a JVM throwing the same exception steadily from the start",
        c -> {
          base(c);
          c.process("tok-jvm", "java", "b1");
          for (int s = 0; s < 60; s++) {
            for (int k = 0; k < 50; k++) {
              c.jvm(s + k * 0.02, "jdk.JavaExceptionThrow", "tok-jvm", 0, "java.io.IOException");
            }
          }
        });
    p.put(
        "errors spread evenly from the start",
        c -> {
          base(c);
          for (int s = 0; s < 60; s++) {
            c.event(s + 0.55, "sendto", "tok-api", 20_000, 0, "ECONNREFUSED", "peer-b", null, -1);
          }
        });
    p.put(
        "retransmits and errors in different seconds",
        c -> {
          base(c);
          for (int s = 5; s <= 50; s += 5) {
            c.event(s + 0.05, "tcp_retransmit", "tok-api", 0, 0, null, "peer-a", null, -1);
            c.event(s + 2.5, "sendto", "tok-api", 20_000, 0, "ECONNRESET", "peer-a", null, -1);
          }
        });
    p.put(
        "a new build that does not fail",
        c -> {
          c.process("tok-api-1", "api", "b1aaaaaaaaaaaaaaaa")
              .process("tok-api-2", "api", "b2bbbbbbbbbbbbbbbb");
          for (int s = 0; s < 60; s++) {
            for (int k = 0; k < 10; k++) {
              c.event(
                  s + k * 0.1,
                  "sendto",
                  s >= 30 ? "tok-api-2" : "tok-api-1",
                  50_000,
                  1200,
                  null,
                  "peer-a",
                  null,
                  -1);
            }
          }
        });
    p.put(
        "descriptors opened and closed",
        c -> {
          base(c);
          c.process("tok-tidy", "tidy", "b1");
          for (int i = 0; i < 200; i++) {
            c.call(i * 0.25, "tok-tidy", "openat", -1, 4_000, null);
            c.call(i * 0.25 + 0.01, "tok-tidy", "read", 3, 2_000, null);
            c.call(i * 0.25 + 0.02, "tok-tidy", "close", 3, 1_000, null);
          }
        });
    p.put(
        "failed connects at a steady rate",
        c -> {
          base(c);
          c.process("tok-client", "client", "b1");
          for (int s = 0; s < 60; s++) {
            c.call(s + 0.2, "tok-client", "connect", 9, 30_000, "ECONNREFUSED");
            c.call(s + 0.7, "tok-client", "connect", 9, 30_000, "ECONNREFUSED");
          }
        });
    p.put(
        "a client that exits 0 after its exchanges",
        c -> {
          base(c);
          exchanges(c, 0);
        });
    p.put(
        "a client killed by a signal after its exchanges",
        c -> {
          base(c);
          exchanges(c, 9);
        });
    p.put(
        "a client that fails after its connection was reset",
        c -> {
          base(c);
          exchanges(c, 1 << 8);
          c.event(40.5, "tcp_reset_received", "tok-collector", 0, 0, null, "peer-r", null, -1);
        });
    p.put(
        "interpreters looking for their modules",
        c -> {
          base(c);
          c.process("tok-python", "python3", "b1");
          for (int s = 0; s < 60; s++) {
            for (int k = 0; k < 1 + s / 4; k++) {
              c.call(s + k / 20.0, "tok-python", "openat", -1, 3_000, "ENOENT");
            }
          }
        });
    p.put(
        "fast calls under the configured timeout",
        c -> {
          base(c);
          c.process("tok-db", "db-client", "b1");
          for (int i = 0; i < 100; i++) {
            c.call(i * 0.5, "tok-db", "recvfrom", 7, 5_000_000L + i, null);
          }
        });
    p.put(
        "EAGAIN from non-blocking I/O",
        c -> {
          base(c);
          c.process("tok-loop", "eventloop", "b1");
          for (int s = 0; s < 50; s++) {
            c.call(s + 0.3, "tok-loop", "read", 5, 1_000, "EAGAIN");
          }
          for (int s = 0; s < 20; s++) {
            c.call(s + 0.6, "tok-loop", "accept4", 4, 1_000, "EAGAIN");
          }
        });
    return p;
  }

  /**
   * A collector talking to a relay on port 8094: 30 clean request/reply exchanges, then its exit
   * with wait status {@code status}.
   */
  static void exchanges(SyntheticCapture c, int status) throws Exception {
    c.process("tok-relay", "relay", "b1").process("tok-collector", "collector", "b1");
    c.tcp(1, "tok-relay", 8094, 0);
    c.tcp(10, "tok-collector", 40000, 8094);
    c.tcp(10, "tok-relay", 8094, 40000);
    for (int i = 0; i < 30; i++) {
      c.event(10 + i, "sendto", "tok-collector", 20_000, 60, null, "peer-r", null, -1);
      c.call(10.1 + i, "tok-collector", "recvfrom", 3, 300_000, null);
    }
    c.exit(41, "tok-collector", status);
  }

  private static List<Finding> findings(Builder builder, boolean check, String expected)
      throws Exception {
    try (SyntheticCapture c = new SyntheticCapture()) {
      builder.build(c);
      List<Finding> found = TraceAnalyst.findings(c.connection, Optional.of(repo));
      if (check) {
        HypothesisChecks checks = new HypothesisChecks(Duration.ofSeconds(30));
        for (Finding f : found) {
          if (f.detector().equals(expected)) {
            CellOutput.Check verdict = checks.check(c.connection, f.hypothesis().checkSql());
            assertEquals(
                CellOutput.Check.SUPPORTED,
                verdict.verdict(),
                f.hypothesis().statement()
                    + "\n"
                    + f.hypothesis().checkSql()
                    + "\n"
                    + verdict.message());
          }
        }
      }
      return found;
    }
  }

  @Test
  void everyDetectorNamesItsPatternWithASupportedCheckAndStaysSilentOnEveryCleanCapture()
      throws Exception {
    Map<String, int[]> tally =
        new TreeMap<>(); // detector -> {on its pattern, on clean captures, on other patterns}
    DETECTORS.forEach(d -> tally.put(d, new int[3]));
    List<String> falsePositives = new ArrayList<>();
    for (var pattern : patterns().entrySet()) {
      List<Finding> found = findings(pattern.getValue(), true, pattern.getKey());
      System.out.println("pattern " + pattern.getKey() + ":");
      found.forEach(
          f -> System.out.println("  [" + f.detector() + "] " + f.hypothesis().statement()));
      assertTrue(
          found.stream().anyMatch(f -> f.detector().equals(pattern.getKey())),
          pattern.getKey() + " was not named");
      for (Finding f : found) {
        if (tally.containsKey(f.detector())) {
          tally.get(f.detector())[f.detector().equals(pattern.getKey()) ? 0 : 2]++;
        }
      }
    }
    for (var clean : cleans().entrySet()) {
      for (Finding f : findings(clean.getValue(), false, "")) {
        if (tally.containsKey(f.detector())) {
          tally.get(f.detector())[1]++;
          falsePositives.add(
              clean.getKey() + ": [" + f.detector() + "] " + f.hypothesis().statement());
        }
      }
    }
    System.out.printf(
        "%-28s %8s %8s %10s %s%n",
        "detector", "pattern", "clean", "precision", "(also on other incidents)");
    int tp = 0;
    int fp = 0;
    for (var e : tally.entrySet()) {
      int[] t = e.getValue();
      tp += t[0];
      fp += t[1];
      System.out.printf(
          "%-28s %8d %8d %9.0f%% %d%n",
          e.getKey(), t[0], t[1], 100.0 * t[0] / Math.max(1, t[0] + t[1]), t[2]);
    }
    System.out.printf(
        "detector precision on the test captures: %d of %d findings on %d pattern captures,"
            + " %d on %d clean captures%n",
        tp, tp + fp, patterns().size(), fp, cleans().size());
    assertEquals(List.of(), falsePositives);
  }

  /**
   * The burst is named by the new build id when the store has one that differs; a JVM recording
   * imported alone has no build id, and a kernel capture gives a JVM the java launcher's, the same
   * for every deployment: then the new process marks the new code, and the finding says so.
   */
  @Test
  void anExceptionBurstAtANewJvmIsNamedByItsBuildIdElseByItsProcess() throws Exception {
    String[][] builds = {
      {"b1aaaaaaaaaaaaaaaa", "b2bbbbbbbbbbbbbbbb"},
      {null, null},
      {"b0launcher0000", "b0launcher0000"}
    };
    for (String[] build : builds) {
      try (SyntheticCapture c = new SyntheticCapture()) {
        c.process("tok-jvm-1", "java", build[0]).process("tok-jvm-2", "java", build[1]);
        for (int s = 0; s < 40; s++) {
          c.jvm(s + 0.5, "jdk.JavaExceptionThrow", "tok-jvm-1", 0, STATE_EXCEPTION);
        }
        for (int s = 40; s < 60; s++) {
          for (int k = 0; k < 30; k++) {
            c.jvm(s + k * 0.03, "jdk.JavaExceptionThrow", "tok-jvm-2", 0, STATE_EXCEPTION);
          }
        }
        List<Finding> found =
            TraceAnalyst.findings(c.connection, Optional.empty()).stream()
                .filter(f -> f.detector().equals("jvm-exception-burst-new-build"))
                .toList();
        assertEquals(1, found.size(), "build ids " + Arrays.toString(build) + ": " + found);
        CellOutput.Hypothesis h = found.getFirst().hypothesis();
        System.out.println(
            "[jvm-exception-burst-new-build] " + h.statement() + " | " + h.evidence());
        assertTrue(
            h.statement().contains("throws " + STATE_EXCEPTION + " 30.2 a second"), h.statement());
        assertTrue(h.statement().contains("1.01 a second over the 40 s before"), h.statement());
        if (build[0] != null && !build[0].equals(build[1])) {
          assertTrue(h.statement().contains("its new build b2bbbbbbbbbb"), h.statement());
          assertTrue(h.evidence().contains("a build id no earlier process"), h.evidence());
        } else {
          assertTrue(h.statement().contains("its new process tok-jvm-2"), h.statement());
          assertTrue(
              h.evidence()
                  .contains(
                      build[0] == null
                          ? "the store keeps no build id for this JVM"
                          : "its build id is the java launcher's"),
              h.evidence());
          assertTrue(h.evidence().contains("the process start marks the new deployment"));
        }
        assertEquals(
            CellOutput.Check.SUPPORTED,
            new HypothesisChecks(Duration.ofSeconds(30))
                .check(c.connection, h.checkSql())
                .verdict());
      }
    }
  }

  /**
   * A default-mode capture streams only failed and slow calls and counts the rest in syscall_stats:
   * the collector's clean exchanges are there, and a failed one there counts too.
   */
  @Test
  void aClientGivingUpIsNamedFromTheKernelsCountsOfADefaultModeCapture() throws Exception {
    for (boolean failedSends : new boolean[] {false, true}) {
      try (SyntheticCapture c = new SyntheticCapture()) {
        c.process("tok-relay", "relay", "b1").process("tok-collector", "collector", "b1");
        c.tcp(1, "tok-relay", 8094, 0)
            .tcp(10, "tok-collector", 40000, 8094)
            .tcp(10, "tok-relay", 8094, 40000);
        c.exit(41, "tok-collector", 1 << 8);
        try (var s = c.connection.createStatement()) {
          s.execute(
              "INSERT INTO syscall_stats (capture_id, interval_start, interval_end, process_token, syscall,"
                  + " errno, errno_name, calls, total_ns, bytes, key_id) VALUES"
                  + " ('c1', TIMESTAMP '2025-03-01 10:00:10', TIMESTAMP '2025-03-01 10:00:40', 'tok-collector', 'sendto', 0, NULL, 30, 600000, 1800, 'k1'),"
                  + " ('c1', TIMESTAMP '2025-03-01 10:00:10', TIMESTAMP '2025-03-01 10:00:40', 'tok-collector', 'recvfrom', 0, NULL, 30, 9000000, 9000, 'k1')"
                  + (failedSends
                      ? ", ('c1', TIMESTAMP '2025-03-01 10:00:10', TIMESTAMP '2025-03-01 10:00:40', 'tok-collector',"
                          + " 'sendto', 104, 'ECONNRESET', 2, 4000, 0, 'k1')"
                      : ""));
        }
        List<Finding> found =
            TraceAnalyst.findings(c.connection, Optional.empty()).stream()
                .filter(f -> f.detector().equals("rejected-answers"))
                .toList();
        if (failedSends) {
          assertEquals(List.of(), found, "a failed send is the transport's failure");
        } else {
          assertEquals(1, found.size());
          assertTrue(
              found.getFirst().hypothesis().statement().contains("after 60 clean exchanges"),
              found.getFirst().hypothesis().statement());
          assertEquals(
              CellOutput.Check.SUPPORTED,
              new HypothesisChecks(Duration.ofSeconds(30))
                  .check(c.connection, found.getFirst().hypothesis().checkSql())
                  .verdict());
        }
      }
    }
  }

  @Test
  void aLineThatSetsATimeoutIsReadWithItsUnit() {
    assertEquals(
        Optional.of(Duration.ofMillis(50)),
        RepositoryTimeouts.duration("static final Duration T = Duration.ofMillis(50);"));
    assertEquals(
        Optional.of(Duration.ofMillis(300)), RepositoryTimeouts.duration("read_timeout_ms: 300"));
    assertEquals(Optional.of(Duration.ofSeconds(2)), RepositoryTimeouts.duration("timeout: 2s"));
    assertFalse(RepositoryTimeouts.duration("timeout: default").isPresent());
  }
}

package dev.tracefix.capture.privacy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdentityTextTest {
  private static final HmacKey KEY =
      new HmacKey("k-test", "identity-test-key-32-bytes-long!".getBytes(StandardCharsets.UTF_8));
  private final IdentityText identity = new IdentityText(new Tokenizer(KEY));

  /** Names seen on real Linux and JVM hosts: an engineer must still read them. */
  private static final List<String> EVERYDAY_NAMES =
      List.of(
          "systemd",
          "kworker/0:1H",
          "kworker/u8:2-events_unbound",
          "ksoftirqd/0",
          "rcu_preempt",
          "migration/0",
          "sshd",
          "bash",
          "sh",
          "java",
          "C2 CompilerThre",
          "C1 CompilerThre",
          "GC Thread#0",
          "VM Periodic Tas",
          "VM Thread",
          "Chrome_IOThread",
          "python3.11",
          "node",
          "postgres",
          "redis-server",
          "nginx",
          "containerd-shim",
          "dockerd",
          "kubelet",
          "systemd-journal",
          "dbus-daemon",
          "cron",
          "rsyslogd",
          "(sd-pam)",
          "pool-1-thread-1",
          "ForkJoinPool-1-w",
          "tokio-runtime-w",
          "jbd2/vda1-8",
          "irq/24-virtio0-",
          "sample-service",
          "timeout-service",
          "mvn",
          "http-nio-8080-e",
          "grpc-default-ex",
          "Signal Dispatch",
          "Finalizer",
          "Reference Handl",
          "Common-Cleaner",
          "Attach Listener",
          "main",
          "Service Thread",
          "JFR Periodic Ta",
          "envoy",
          "ruby",
          "cassandra",
          "gunicorn",
          "uwsgi",
          "php-fpm8.2",
          "mysqld",
          "mariadbd",
          "ext4-rsv-conver",
          "nvme0n1p1",
          "x86_64-linux-gnu",
          "Xwayland",
          "gnome-shell",
          "at-spi2-registr",
          "DefaultDispatch",
          "OkHttp Dispatche",
          "kafka-producer-",
          "hikari-housekee",
          "lettuce-epollEv",
          "Netty-Worker-12");

  @Test
  void everydayProgramAndThreadNamesStayReadable() {
    List<String> changed = new ArrayList<>();
    for (String name : EVERYDAY_NAMES) {
      if (!identity.name(name).equals(name)) {
        changed.add(name + " -> " + identity.finding(name).orElse("?"));
      }
    }
    assertEquals(List.of(), changed, "plain names must stay readable");
  }

  @Test
  void personalNamesAndSecretsBecomeKeyedTokensWhole() {
    Map<String, String> planted = new LinkedHashMap<>();
    planted.put("alice", "PERSON");
    planted.put("alice_johnson", "PERSON");
    planted.put("JohnDoe", "PERSON");
    planted.put("maria.garcia", "PERSON");
    planted.put("josé-martínez", "PERSON");
    planted.put("alicejohnson", "PERSON");
    planted.put("priya42", "PERSON");
    planted.put("password_hunter", "SECRET_PREFIX");
    planted.put("api_key_9f8e7d6", "SECRET_PREFIX");
    planted.put("Bearer_eyJhbGci", "SECRET_PREFIX");
    planted.put("eyJhbGciOiJIUzI", "SECRET_PREFIX");
    planted.put("AKIAIOSFODNN7EX", "SECRET_PREFIX");
    planted.put("ghp_1a2B3c4D5e6", "SECRET_PREFIX");
    planted.put("bo@example.io", "EMAIL");
    planted.put("411111111111111", "DIGITS");
    planted.put("aZ3kQ9xP2mL7vB4n", "HIGH_ENTROPY");
    planted.put("3f9a1c2b7d4e5f60", "HIGH_ENTROPY");
    planted.put("name=\"x\"", "UNUSUAL");
    for (var e : planted.entrySet()) {
      String safe = identity.name(e.getKey());
      assertTrue(
          safe.matches("<" + e.getValue() + ":[0-9a-f]{8}>"),
          e.getKey() + " should be a " + e.getValue() + " token, was " + safe);
    }
  }

  @Test
  void aTokenIsStableUnderOneKeyAndChangesWithTheKey() {
    IdentityText other =
        new IdentityText(
            new Tokenizer(
                new HmacKey(
                    "k-other",
                    "another-identity-key-32-bytes-ok".getBytes(StandardCharsets.UTF_8))));
    assertEquals(identity.name("alice"), new IdentityText(new Tokenizer(KEY)).name("alice"));
    assertNotEquals(identity.name("alice"), other.name("alice"));
    assertEquals(identity.name("<PERSON:0123abcd>"), "<PERSON:0123abcd>");
  }

  @Test
  void cgroupPathsKeepRuntimeStructureAndTokenizeFolders() {
    String pod =
        "/kubepods.slice/kubepods-besteffort.slice/"
            + "kubepods-besteffort-pod0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice/"
            + "cri-containerd-4f1c3a9e0b7d2c6a8e5f1b3d7c9a2e4f6b8d0c1a3e5f7b9d2c4a6e8f0b1d3c5a.scope";
    assertEquals(pod, identity.cgroupPath(pod));
    assertEquals(
        "/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox-4242.scope",
        identity.cgroupPath(
            "/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox-4242.scope"));
    assertEquals("/system.slice/nginx.service", identity.cgroupPath("/system.slice/nginx.service"));
    String jwt =
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    String safe = identity.cgroupPath("/system.slice/" + jwt + "/alice.service/jobs");
    assertTrue(
        safe.matches(
            "/system\\.slice/<CGROUP:[0-9a-f]{8}>/<CGROUP:[0-9a-f]{8}>/<CGROUP:[0-9a-f]{8}>"),
        safe);
  }

  @Test
  void hostNamesAreKeptPlainOrReplacedByAPathSafeToken() {
    assertEquals("web-01.prod.internal", identity.hostname("web-01.prod.internal"));
    assertEquals("ip-10-0-1-23", identity.hostname("ip-10-0-1-23"));
    String laptop = identity.hostname("alice-laptop.example.com");
    assertTrue(laptop.matches("host-[0-9a-f]{12}"), laptop);
    assertTrue(identity.hostname("password-hunter2").matches("host-[0-9a-f]{12}"));
  }

  @Test
  void probeSpecsKeepTheirKindAndPassTheSymbol() {
    assertEquals("uprobe:parse_request", identity.probeSpec("uprobe:parse_request"));
    assertTrue(
        identity.probeSpec("uprobe:token_9f8e7d6c").matches("uprobe:<SECRET_PREFIX:[0-9a-f]{8}>"));
  }

  /**
   * The kernel cuts a comm to 15 bytes, so recognizers must catch secrets by their start. For each
   * kind, 200 random secrets of the real format are cut at every length from 8 to 15 bytes; the
   * recall per length is printed, and at 15 bytes (the comm) every one must be caught.
   */
  @Test
  void truncatedSecretsAreCaughtByTheirStart() {
    Random random = new Random(42);
    Map<String, java.util.function.Supplier<String>> kinds = new LinkedHashMap<>();
    kinds.put("JWT", () -> "eyJhbGciOiJIUzI1NiJ9.eyJ" + b64(random, 30) + "." + b64(random, 43));
    kinds.put("AWS key id", () -> "AKIA" + upperDigits(random, 16));
    kinds.put("GitHub token", () -> "ghp_" + alnum(random, 36));
    kinds.put("Slack token", () -> "xoxb-" + digits(random, 11) + "-" + alnum(random, 24));
    kinds.put("Stripe key", () -> "sk_live_" + alnum(random, 24));
    kinds.put("Google API key", () -> "AIza" + b64(random, 35));
    kinds.put("password_", () -> "password_" + alnum(random, 12));
    kinds.put("api_key_", () -> "api_key_" + alnum(random, 20));
    kinds.put("Bearer_", () -> "Bearer_" + b64(random, 30));
    kinds.put("card number", () -> "4" + digits(random, 15));
    kinds.put("e-mail", () -> "alice.smith" + random.nextInt(100) + "@example.com");
    StringBuilder table =
        new StringBuilder("truncated-secret recall (caught / 200) at cut length:\n");
    table.append(String.format("%-15s", "kind"));
    for (int len = 8; len <= 15; len++) {
      table.append(String.format("%5d", len));
    }
    table.append('\n');
    List<String> missedAt15 = new ArrayList<>();
    for (var kind : kinds.entrySet()) {
      table.append(String.format("%-15s", kind.getKey()));
      List<String> secrets = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        secrets.add(kind.getValue().get());
      }
      for (int len = 8; len <= 15; len++) {
        int caught = 0;
        for (String secret : secrets) {
          String cut = secret.substring(0, len);
          if (identity.finding(cut).isPresent()) {
            caught++;
          } else if (len == 15) {
            missedAt15.add(kind.getKey() + ": " + cut);
          }
        }
        table.append(String.format("%5d", caught));
      }
      table.append('\n');
    }
    System.out.print(table);
    assertEquals(List.of(), missedAt15, "every 15-byte cut secret must be caught");
  }

  private static String pick(Random r, String alphabet, int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private static String b64(Random r, int n) {
    return pick(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", n);
  }

  private static String alnum(Random r, int n) {
    return pick(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n);
  }

  private static String upperDigits(Random r, int n) {
    return pick(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", n);
  }

  private static String digits(Random r, int n) {
    return pick(r, "0123456789", n);
  }
}

package dev.tracefix.bench.privacy;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.privacy.PrivacyEngine;
import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.policy.EventSchema;
import dev.tracefix.capture.privacy.policy.PolicyParser;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Single-thread (one core) throughput of the privacy engine: policy redaction of safe events, and
 * the recognizers over mixed text. Prints one line per measurement; results go to BENCHMARKS.md.
 *
 * <p>Run: {@code java -cp "bench/target/classes:$(cat bench/target/classpath.txt)"
 * dev.tracefix.bench.privacy.PrivacyBench} (argument {@code text}: only the recognizer
 * measurements)
 */
public final class PrivacyBench {
  private static final String STRICT =
      """
      policy: strict
      events:
        "*":
          time_ns: keep
          process_token: keep
          duration_ns: bucket
          bytes: bucket
          errno: {action: keep, when: 'event.type != "tcp_retransmit"', else: drop}
          peer_hash: hmac
      """;

  private PrivacyBench() {}

  public static void main(String[] args) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    HmacKey key = new HmacKey("k_bench0000000", secret);
    if (args.length == 0 || !args[0].equals("text")) {
      eventBenches(key);
    }
    TextRedactor text = TextRedactor.withKey(key);
    textThroughput("mixed text, 10% lines with PII", text, mixedText(8 << 20, 10));
    textThroughput("benign text only", text, mixedText(8 << 20, 0));
  }

  private static void eventBenches(HmacKey key) {
    List<SafeEvent> events = events(1 << 16);
    PrivacyEngine defaults = PrivacyEngine.withDefaultPolicy(key);
    PrivacyEngine strict =
        new PrivacyEngine(PolicyParser.parse("strict.yaml", STRICT, EventSchema.current()), key);
    eventThroughput("default policy", defaults, events);
    eventThroughput("strict policy (bucket, hmac, CEL)", strict, events);
  }

  private static void eventThroughput(String name, PrivacyEngine engine, List<SafeEvent> events) {
    long sink = 0;
    for (int round = 0; round < 40; round++) { // warm-up: JIT and token caches
      for (SafeEvent e : events) {
        sink += engine.redact(e).bytes();
      }
    }
    int rounds = 150;
    long start = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      for (SafeEvent e : events) {
        sink += engine.redact(e).bytes();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "events  %-38s %6.2f M events/s/core (%d events, checksum %d)%n",
        name, rounds * (double) events.size() / seconds / 1e6, rounds * events.size(), sink % 10);
  }

  private static void textThroughput(String name, TextRedactor redactor, List<String> chunks) {
    long bytes = 0;
    for (String c : chunks) {
      bytes += c.getBytes(StandardCharsets.UTF_8).length;
    }
    long sink = 0;
    // Warm up for a time, not a round count: on a shared machine the JIT compiler threads compete
    // for the same cores, and a fixed count sometimes measured half-compiled code.
    long warmUntil = System.nanoTime() + 3_000_000_000L;
    for (int round = 0; round < 3 || System.nanoTime() < warmUntil; round++) {
      for (String c : chunks) {
        sink += redactor.redact(c).length();
      }
    }
    int rounds = 5;
    long start = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      for (String c : chunks) {
        sink += redactor.redact(c).length();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "text    %-38s %6.1f MB/s/core (%.1f MB, checksum %d)%n",
        name, rounds * bytes / seconds / 1e6, bytes / 1e6, sink % 10);
  }

  private static List<SafeEvent> events(int n) {
    Random r = new Random(1);
    EventType[] types = EventType.values();
    List<SafeEvent> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      // Random draws in the order the fields are set: the same seed, the same events.
      out.add(
          SafeEvent.builder(
                  1_731_571_200_000_000_000L + i,
                  types[r.nextInt(types.length)],
                  "p_%016x".formatted(r.nextInt(50)),
                  "k_bench0000000")
              .durationNs(r.nextInt(2_000_000))
              .bytes(r.nextInt(65_536))
              .errno(r.nextInt(10) == 0 ? 32 : 0)
              .peerHash("a_%016x".formatted(r.nextInt(200)))
              .build());
    }
    return out;
  }

  /** 64 KiB chunks of log, path and source lines; {@code piiPercent}% of lines carry a value. */
  static List<String> mixedText(int totalBytes, int piiPercent) {
    Random r = new Random(2);
    String[] benign = {
      "2025-11-14T10:15:30.123Z INFO  [main] dev.tracefix.capture.Capture - flushed %d rows",
      "/usr/lib/jvm/temurin-25-jdk-amd64/lib/server/libjvm.so",
      "    String token = ctx.header(\"Authorization\");",
      "GET /api/v1/orders/%d HTTP/1.1 200 in %d ms",
      "at dev.tracefix.sink.SpoolWriter.flush(SpoolWriter.java:%d)",
      "commit 3f9a1c2b4d5e6f708192a3b4c5d6e7f801234567 merged into main",
    };
    String[] pii = {
      "user alice.smith+%d@example.com logged in from 10.1.%d.7",
      "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.%dabc_sig'",
      "card 4111 1111 1111 1111 charged, ref %d",
      "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPL%d",
      "open /home/mallory/.ssh/id_rsa failed (%d)",
      "call +44 20 7946 %04d or mail ops@corp.example.org",
      "postgres://app:s3cretPass%d@db.internal:5432/app",
    };
    List<String> chunks = new ArrayList<>();
    StringBuilder chunk = new StringBuilder();
    int total = 0;
    while (total < totalBytes) {
      String[] pool = r.nextInt(100) < piiPercent ? pii : benign;
      String line = pool[r.nextInt(pool.length)].formatted(r.nextInt(9000), r.nextInt(250));
      chunk.append(line).append('\n');
      total += line.length() + 1;
      if (chunk.length() >= 64 * 1024) {
        chunks.add(chunk.toString());
        chunk.setLength(0);
      }
    }
    chunks.add(chunk.toString());
    return chunks;
  }
}

package dev.tracefix.capture.privacy.recognize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Text without personal data or secrets: file paths, Java source lines (a fixture) and log lines
 * with timestamps, ids, versions, durations and counts. Anything redacted here is a false positive.
 */
public final class BenignCorpus {
  private static final String[] DIRS = {
    "/usr/lib/jvm/temurin-25-jdk-amd64/lib",
    "/etc/nginx/conf.d",
    "/var/log/nginx",
    "/opt/app/lib",
    "/srv/www/static/css",
    "/proc/self",
    "/sys/fs/cgroup/system.slice/nginx.service",
    "/tmp",
    "/var/lib/postgresql/16/main/base",
    "src/main/java/dev/tracefix/capture",
    "./target/classes",
    "/usr/share/doc/libbpf1",
    "/run/systemd/journal",
    "C:\\Program Files\\Java\\jdk-25\\bin",
  };
  private static final String[] FILES = {
    "libjvm.so",
    "nginx.conf",
    "access.log.1",
    "commons-lang3-3.17.0.jar",
    "main.css",
    "status",
    "memory.max",
    "PG_VERSION",
    "SafeEventAssembler.java",
    "copyright",
    "socket",
    "guava-33.6.0-jre.jar",
    "netty-transport-4.1.115.Final.jar",
    "java.exe",
    "index.html",
  };
  private static final String[] LEVELS = {"INFO", "WARN", "DEBUG", "ERROR", "TRACE"};
  private static final String[] THREADS = {
    "main",
    "HttpClient-1-Worker-0",
    "pool-2-thread-7",
    "ForkJoinPool.commonPool-worker-3",
    "tracefix-capture",
    "HTTP-Dispatcher",
    "grpc-default-executor-1",
  };
  private static final String[] MESSAGES = {
    "request GET /api/v1/orders/%d completed status=200 in %d ms",
    "cache miss ratio %d.%d percent over %d lookups",
    "flushed %d rows to segment %s",
    "retrying attempt %d of 5 after %d ms backoff",
    "listening on port %d",
    "loaded %d classes from %s",
    "gc pause young %d.%dms heap %dM->%dM",
    "commit %s merged into main",
    "trace id %s span %s finished",
    "build %s took %ds",
    "connection pool size=%d active=%d idle=%d",
    "processed batch %d of %d (%d events)",
    "version 4.%d.%d started with pid file /run/app.pid",
    "checksum sha256=%s verified",
    "uploaded %d bytes in %d.%ds",
    "scheduled job %s next run at 2025-11-%02dT%02d:00:00Z",
  };

  private BenignCorpus() {}

  public static List<String> lines(long seed) {
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String dir = DIRS[r.nextInt(DIRS.length)];
      out.add(dir + (dir.contains("\\") ? "\\" : "/") + FILES[r.nextInt(FILES.length)]);
    }
    for (int i = 0; i < 300; i++) {
      out.add(logLine(r));
    }
    out.addAll(javaSource());
    return out;
  }

  private static String logLine(Random r) {
    String message = MESSAGES[r.nextInt(MESSAGES.length)];
    int args = message.split("%", -1).length - 1;
    Object[] values = new Object[args];
    String[] parts = message.split("%");
    for (int a = 0; a < args; a++) {
      char kind = parts[a + 1].charAt(0);
      values[a] = kind == 's' ? hexOrUuid(r) : (Object) (r.nextInt(kind == '0' ? 28 : 5000) + 1);
    }
    String text = String.format(message, values);
    return String.format(
        "2025-11-%02dT%02d:%02d:%02d.%03dZ %-5s [%s] dev.tracefix.%s - %s",
        1 + r.nextInt(28),
        r.nextInt(24),
        r.nextInt(60),
        r.nextInt(60),
        r.nextInt(1000),
        LEVELS[r.nextInt(LEVELS.length)],
        THREADS[r.nextInt(THREADS.length)],
        r.nextBoolean() ? "capture.Capture" : "sink.SpoolWriter",
        text);
  }

  private static String hexOrUuid(Random r) {
    String hex = "0123456789abcdef";
    StringBuilder b = new StringBuilder();
    int n = r.nextBoolean() ? 40 : 32;
    for (int i = 0; i < n; i++) {
      b.append(hex.charAt(r.nextInt(16)));
    }
    if (n == 32 && r.nextBoolean()) {
      b.insert(20, '-').insert(16, '-').insert(12, '-').insert(8, '-');
    }
    return b.toString();
  }

  private static List<String> javaSource() {
    try (InputStream in = BenignCorpus.class.getResourceAsStream("/privacy/benign-java.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

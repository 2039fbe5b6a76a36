package dev.tracefix.bench.store;

import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The saved queries on generated events (made inside DuckDB with range()): through the store's
 * connection, then the same SQL through a plain DuckDB JDBC connection to the same file. Arguments:
 * rows (default 100,000,000), queries folder, work directory.
 */
public final class StoreQueryBench {
  private static final Pattern PARAMETER =
      Pattern.compile("\\$([a-z_]+)\\s*=\\s*('[^']*'|[0-9.]+)");

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 100_000_000L;
    Path queries = Path.of(args.length > 1 ? args[1] : "queries");
    Path work = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "/tmp/tracefix-bench"));
    Path db = work.resolve("query-" + rows + ".duckdb");
    Files.deleteIfExists(db);
    Map<String, String> sql = load(queries);
    Map<String, Double> viaStore = new LinkedHashMap<>();
    try (EventStore store = EventStore.open(db);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      long start = System.nanoTime();
      s.execute("INSERT INTO captures (capture_id, host) VALUES ('bench', 'bench-host')");
      s.execute(
          "INSERT INTO processes (capture_id, token, comm, build_id, cgroup, exe_hash, key_id)"
              + " SELECT 'bench', 'tok-' || i, 'svc' || (i % 8), 'b1d' || (i % 3),"
              + " '/kubepods/docker-' || lpad(to_hex(i), 12, '0') || '.scope', 'exe', 'k'"
              + " FROM range(64) t(i)");
      s.execute(
          "INSERT INTO events (capture_id, time, type, process_token, duration_ns, bytes, errno,"
              + " errno_name, peer_hash, key_id)"
              + " SELECT 'bench', TIMESTAMP_NS '2026-01-01 00:00:00' + to_microseconds(i // 10),"
              + " CASE WHEN i % 20 = 0 THEN 'tcp_retransmit' WHEN i % 3 = 0 THEN 'socket_write'"
              + " ELSE 'sendto' END, 'tok-' || (hash(i) % 64),"
              + " 1000 + hash(i * 7) % 500000, i % 65536,"
              + " CASE WHEN hash(i * 13) % 50 = 0 THEN 104 ELSE 0 END,"
              + " CASE WHEN hash(i * 13) % 50 = 0 THEN 'ECONNRESET' END,"
              + " 'peer-' || (hash(i * 31) % 1000), 'k' FROM range("
              + rows
              + ") t(i)");
      System.out.printf(
          "generated %d events in DuckDB in %.1f s; database %.2f GiB%n",
          rows, (System.nanoTime() - start) / 1e9, Files.size(db) / 1073741824.0);
      for (var q : sql.entrySet()) {
        viaStore.put(q.getKey(), time(s, q.getValue()));
      }
    }
    try (Connection direct = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = direct.createStatement()) {
      for (var q : sql.entrySet()) {
        double plain = time(s, q.getValue());
        System.out.printf(
            "query %-40s tracefix store %7.2f s   plain DuckDB JDBC %7.2f s   ratio %.2f%n",
            q.getKey(), viaStore.get(q.getKey()), plain, viaStore.get(q.getKey()) / plain);
      }
    }
    Files.deleteIfExists(db);
  }

  private static double time(Statement s, String sql) throws Exception {
    long start = System.nanoTime();
    long n = 0;
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        n++;
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Each saved query with its header's example parameter values bound. */
  static Map<String, String> load(Path dir) throws Exception {
    Map<String, String> result = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
    for (Path f : files) {
      String text = Files.readString(f);
      List<String> body = new ArrayList<>();
      String sql = text;
      for (String line : text.split("\n")) {
        if (line.startsWith("-- parameters:")) {
          Matcher m = PARAMETER.matcher(line);
          while (m.find()) {
            sql = sql.replace("$" + m.group(1), m.group(2));
          }
        }
      }
      body.add(sql);
      result.put(f.getFileName().toString(), String.join("", body));
    }
    return result;
  }

  private StoreQueryBench() {}
}

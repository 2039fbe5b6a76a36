package dev.tracefix.server.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.privacy.recognize.Recognizer;
import dev.tracefix.capture.privacy.recognize.Recognizers;
import dev.tracefix.capture.privacy.recognize.SeededCorpus;
import dev.tracefix.server.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants a seeded corpus of every recognizer type where a real traced process exposes it (argv,
 * working directory, the files it creates and writes, its executable's name, so its comm, its
 * socket payloads) and in a notebook's prose and SQL literals, then runs the CLI end to end: {@code
 * capture} into DuckDB, {@code export} to Parquet, {@code report} to Markdown and HTML. No planted
 * value may appear verbatim in any byte of the database, the export, the reports or tracefix's log
 * output; the workload's own stdout (which tracefix does not store) is the control that shows the
 * scan finds them.
 */
class NoLeakEndToEndTest {
  private static final String DRIVER =
      "p=$1; o=$2; n=$3; shift 3; pairs=(\"${@:1:2*n}\"); shift $((2*n));"
          + " for ((i=0; i<2*n; i+=2)); do"
          + " (cd \"${pairs[i]}\" && exec \"./${pairs[i+1]}\" \"$p\" \"$@\") >>\"$o\" || exit 9;"
          + " done";

  @TempDir Path dir;

  @Test
  void noPlantedValueReachesTheDatabaseTheExportTheReportsOrTheLogs() throws Exception {
    assumeKernelCapture();
    List<SeededCorpus.Planted> corpus = new SeededCorpus(20251125L, true).generate(25);
    Set<String> recognizerTypes = new TreeSet<>();
    for (Recognizer r : Recognizers.defaults()) {
      recognizerTypes.add(r.type());
    }
    Map<String, Integer> perType = new TreeMap<>();
    corpus.forEach(p -> perType.merge(p.type(), 1, Integer::sum));
    assertTrue(corpus.size() >= 500, "corpus size " + corpus.size());
    assertEquals(recognizerTypes, perType.keySet(), "the corpus covers every recognizer type");
    List<String> values = corpus.stream().map(SeededCorpus.Planted::secret).distinct().toList();

    // Working directories: nested folders named by values, each under PATH_MAX; the workload in
    // each is a copy named by a value, so the kernel's comm is that value's first 15 bytes. A file
    // name carries no context, so the copies are named by values recognizable on their own
    // (an address, a key with its prefix), not by a user name or a secret that needs its key.
    Path workload = compileWorkload();
    List<String> fileNames = values.stream().filter(NoLeakEndToEndTest::fileNameSafe).toList();
    java.util.Iterator<String> binaryNames =
        corpus.stream()
            .filter(
                p -> !NEEDS_CONTEXT.contains(p.type()) && !DOTTED_NAME_REFUSED.contains(p.type()))
            .map(SeededCorpus.Planted::secret)
            .filter(NoLeakEndToEndTest::fileNameSafe)
            .iterator();
    List<String> driverPairs = new ArrayList<>();
    List<String> commPrefixes = new ArrayList<>();
    Path work = dir.resolve("w");
    Path current = work;
    int chunks = 0;
    for (String name : fileNames) {
      Path next = current.resolve(name);
      if (next.toString().getBytes(StandardCharsets.UTF_8).length > 3_000) {
        driverPairs.addAll(plantWorkload(current, binaryNames.next(), workload, commPrefixes));
        chunks++;
        next = work.resolve(name);
      }
      current = next;
    }
    driverPairs.addAll(plantWorkload(current, binaryNames.next(), workload, commPrefixes));
    chunks++;

    Path db = dir.resolve("store.duckdb");
    Path keys = dir.resolve("keys");
    Path parquet = dir.resolve("export");
    Path control = dir.resolve("workload-stdout.txt");
    Path notebook = Files.writeString(dir.resolve("incident.md"), notebook(corpus));
    Path reportMd = dir.resolve("report.md");
    Path reportHtml = dir.resolve("report.html");
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(new Tee(oldOut, logs), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(oldErr, logs), true, StandardCharsets.UTF_8));
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      List<String> capture =
          new ArrayList<>(
              List.of(
                  "capture",
                  "--db",
                  db.toString(),
                  "--duration",
                  "180s",
                  "--keys",
                  keys.toString(),
                  "--",
                  "bash",
                  "-c",
                  DRIVER,
                  "noleak",
                  "" + receiver.getLocalPort(),
                  control.toString(),
                  "" + chunks));
      capture.addAll(driverPairs);
      capture.addAll(values);
      assertEquals(0, Main.commandLine().execute(capture.toArray(String[]::new)), "capture");
      assertEquals(
          0,
          Main.commandLine()
              .execute(
                  "export",
                  "--db",
                  db.toString(),
                  "--parquet",
                  parquet.toString(),
                  "--keys",
                  keys.toString()),
          "export");
      for (Path out : List.of(reportMd, reportHtml)) {
        assertEquals(
            0,
            Main.commandLine()
                .execute(
                    "report",
                    notebook.toString(),
                    "--db",
                    db.toString(),
                    "--out",
                    out.toString(),
                    "--keys",
                    keys.toString()),
            "report " + out);
      }
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }

    Map<String, byte[]> artifacts = new LinkedHashMap<>();
    artifacts.put("duckdb " + db.getFileName(), Files.readAllBytes(db));
    for (Path p :
        filesUnder(dir, f -> f.startsWith(db + ".") || f.startsWith(parquet.toString()))) {
      artifacts.put(dir.relativize(p).toString(), Files.readAllBytes(p));
    }
    // Compressed pages (DuckDB's FSST/dictionary strings, zstd Parquet) can hide a value from a
    // byte scan: every table and every Parquet file is also scanned decoded, as text.
    artifacts.put("duckdb tables, decoded", decoded(db, null));
    for (Path p : filesUnder(parquet, f -> f.endsWith(".parquet"))) {
      artifacts.put(dir.relativize(p) + ", decoded", decoded(null, p));
    }
    artifacts.put("report.md", Files.readAllBytes(reportMd));
    artifacts.put("report.html", Files.readAllBytes(reportHtml));
    artifacts.put("tracefix logs (stdout+stderr)", logs.toByteArray());
    assertTrue(artifacts.keySet().stream().anyMatch(k -> k.endsWith(".parquet")), "a Parquet file");

    List<String> planted = new ArrayList<>(values);
    planted.addAll(commPrefixes);
    Map<String, Set<String>> leaks = new LinkedHashMap<>();
    long scanned = 0;
    System.out.printf(
        "NoLeakEndToEndTest: %d values planted (%d distinct), %d comm prefixes,"
            + " %d file names, %d working directories%n",
        corpus.size(), values.size(), commPrefixes.size(), fileNames.size(), chunks);
    perType.forEach((type, n) -> System.out.printf("  %-15s %d%n", type, n));
    for (Map.Entry<String, byte[]> a : artifacts.entrySet()) {
      Set<String> found = find(a.getValue(), planted);
      scanned += a.getValue().length;
      System.out.printf(
          "  scanned %-60s %10d bytes, found %d%n", a.getKey(), a.getValue().length, found.size());
      if (!found.isEmpty()) {
        leaks.put(a.getKey(), found);
      }
    }
    Set<String> inControl = find(Files.readAllBytes(control), values);
    System.out.printf(
        "  %d artifacts, %d bytes scanned, %d values leaked; control (workload"
            + " stdout, not stored by tracefix): %d of %d values found%n",
        artifacts.size(),
        scanned,
        leaks.values().stream().mapToInt(Set::size).sum(),
        inControl.size(),
        values.size());

    assertEquals(values.size(), inControl.size(), "the scan finds every value in the control");
    if (!leaks.isEmpty()) {
      fail(
          "planted values leaked (type per value): "
              + leaks.entrySet().stream()
                  .map(
                      e ->
                          e.getKey()
                              + " <- "
                              + e.getValue().stream()
                                  .map(v -> typeOf(corpus, v))
                                  .collect(Collectors.joining(", ")))
                  .collect(Collectors.joining("; ")));
    }
  }

  /** Kernel tests skip off-CI without eBPF (and root); with CI=true they must run. */
  private static void assumeKernelCapture() {
    Optional<String> reason = Capture.unavailableReason();
    if (reason.isPresent() && "true".equals(System.getenv("CI"))) {
      fail("CI=true requires eBPF capture, but: " + reason.get());
    }
    assumeTrue(reason.isEmpty(), () -> "eBPF capture unavailable: " + reason.get());
  }

  private Path compileWorkload() throws IOException, InterruptedException {
    Path source = dir.resolve("leak_workload.c");
    Files.copy(getClass().getResourceAsStream("/privacy/leak_workload.c"), source);
    Path binary = dir.resolve("leak_workload");
    Process gcc =
        new ProcessBuilder("gcc", "-O1", "-Wall", "-o", binary.toString(), source.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc: " + out);
    return binary;
  }

  /** Copies the workload into {@code folder}, named by {@code name} (a planted value). */
  private static List<String> plantWorkload(
      Path folder, String name, Path workload, List<String> commPrefixes) throws IOException {
    Files.createDirectories(folder);
    Path copy = folder.resolve(name + ".bin");
    Files.copy(workload, copy);
    copy.toFile().setExecutable(true);
    String comm =
        new String(
            copy.getFileName().toString().getBytes(StandardCharsets.UTF_8),
            0,
            Math.min(15, copy.getFileName().toString().getBytes(StandardCharsets.UTF_8).length),
            StandardCharsets.UTF_8);
    commPrefixes.add(comm);
    return List.of(folder.toString(), copy.getFileName().toString());
  }

  /** A notebook whose prose and SQL string literals carry every planted line. */
  private static String notebook(List<SeededCorpus.Planted> corpus) {
    StringBuilder md = new StringBuilder("# Incident review\n\nWhat the on-call saw:\n\n");
    for (SeededCorpus.Planted p : corpus) {
      md.append("- ").append(p.line().replace("\n", "\n  ")).append('\n');
    }
    md.append("\n```sql\nSELECT note, (SELECT count(*) FROM events) AS events FROM (VALUES ");
    md.append(
        corpus.stream()
            .map(p -> "('" + p.line().replace("'", "''") + "')")
            .collect(Collectors.joining(", ")));
    md.append(") AS t(note)\n```\n");
    return md.toString();
  }

  /**
   * Types a recognizer finds only next to their key or path: {@code /home/<user>}, {@code
   * password=}, a key store key at a line end.
   */
  private static final Set<String> NEEDS_CONTEXT =
      Set.of(
          "USER", "AUTH", "AWS_SECRET", "SECRET", "URL_CREDENTIALS", "PRIVATE_KEY", "KEY_MATERIAL");

  /**
   * Address recognizers refuse a match followed by {@code .word} (host names, version strings), so
   * {@code 00:1a:2b:3c:4d:5e.bin} is not an address to them; those values stay in folder names.
   */
  private static final Set<String> DOTTED_NAME_REFUSED = Set.of("MAC", "IPV4", "IPV6");

  private static boolean fileNameSafe(String v) {
    byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
    return bytes.length < 200 && !v.contains("/") && !v.contains("\n") && !v.startsWith("-");
  }

  private static List<Path> filesUnder(Path root, java.util.function.Predicate<String> keep)
      throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile)
          .filter(p -> keep.test(p.toString()))
          .sorted()
          .toList();
    }
  }

  /** Every value of every table of {@code db}, or of the Parquet file {@code parquet}, as text. */
  private static byte[] decoded(Path db, Path parquet) throws SQLException {
    StringBuilder text = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      List<String> queries = new ArrayList<>();
      if (parquet != null) {
        queries.add("SELECT * FROM read_parquet('" + parquet + "')");
      } else {
        s.execute("ATTACH '" + db + "' AS store (READ_ONLY)");
        try (ResultSet tables =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables"
                    + " WHERE table_catalog = 'store' AND table_type = 'BASE TABLE'")) {
          while (tables.next()) {
            queries.add("SELECT * FROM store.main.\"" + tables.getString(1) + "\"");
          }
        }
      }
      for (String query : queries) {
        try (ResultSet rows = s.executeQuery(query)) {
          int columns = rows.getMetaData().getColumnCount();
          while (rows.next()) {
            for (int i = 1; i <= columns; i++) {
              text.append(rows.getString(i)).append('\t');
            }
            text.append('\n');
          }
        }
      }
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The values whose UTF-8 bytes occur in {@code bytes}. */
  private static Set<String> find(byte[] bytes, List<String> values) {
    String haystack = new String(bytes, StandardCharsets.ISO_8859_1); // one char per byte
    Set<String> found = new TreeSet<>();
    for (String v : values) {
      String needle = new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
      if (haystack.contains(needle)) {
        found.add(v);
      }
    }
    return found;
  }

  private static String typeOf(List<SeededCorpus.Planted> corpus, String value) {
    return corpus.stream()
        .filter(p -> p.secret().equals(value))
        .map(SeededCorpus.Planted::type)
        .findFirst()
        .orElse("COMM_PREFIX");
  }

  /** Writes to the real stream and keeps a copy of every byte for the scan. */
  private static final class Tee extends OutputStream {
    private final OutputStream real;
    private final ByteArrayOutputStream copy;

    Tee(OutputStream real, ByteArrayOutputStream copy) {
      this.real = real;
      this.copy = copy;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      real.write(b);
      copy.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      real.write(b, off, len);
      copy.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      real.flush();
    }
  }
}

package dev.tracefix.server.cli;

import dev.tracefix.capture.jvm.JfrImportSummary;
import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.capture.privacy.PrivacyEngine;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.capture.JfrImporter;
import dev.tracefix.server.notebook.IpynbImporter;
import dev.tracefix.server.notebook.Notebook;
import dev.tracefix.sink.EventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Load a Parquet export (from this or another host) into a database; idempotent.",
      "Or turn a Jupyter .ipynb file into a notebook (outputs are dropped: notebooks hold none).",
      "Or read a JVM flight recording (.jfr) into a new capture: jvm_events, redacted by the"
          + " privacy policy as kernel events are."
    })
final class ImportCommand implements Callable<Integer> {
  /** A Jupyter file larger than this is not a notebook someone wrote. */
  private static final long MAX_IPYNB_BYTES = 64L << 20;

  @ArgGroup(multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--parquet", description = "folder written by tracefix export (needs --db)")
    Path parquet;

    @Option(names = "--ipynb", description = "Jupyter notebook file to turn into a notebook")
    Path ipynb;

    @Option(names = "--jfr", description = "JVM flight recording to load as a capture (needs --db)")
    Path jfr;
  }

  @Option(names = "--db", description = "DuckDB file to load a Parquet export or recording into")
  Path db;

  @Option(
      names = "--policy",
      description = "privacy policy for --jfr (default: as tracefix capture finds one)")
  Path policy;

  @Option(names = "--keys", description = "HMAC key directory for --jfr (default ~/.tracefix/keys)")
  Path keys;

  @Option(
      names = "--to",
      description = "notebook file to write from --ipynb (default: beside it, with .md)")
  Path to;

  @Override
  public Integer call() {
    if (source.jfr != null) {
      return importJfr();
    }
    return source.parquet != null ? importParquet() : importIpynb();
  }

  private int importJfr() {
    if (db == null) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "--jfr needs --db: the database to load the recording into");
    }
    HmacKey key = KeyStore.current(keys == null ? KeyStoreLocation.defaultDir() : keys);
    PrivacyEngine engine =
        new PrivacyEngine(
            PolicyLoader.loadOrDefault(policy == null ? ProjectPaths.defaultPolicy() : policy),
            key);
    try (EventStore store = Stores.open(db)) {
      JfrImporter.Result result = JfrImporter.importFile(source.jfr, store, engine, key);
      JfrImportSummary s = result.summary();
      System.out.printf(
          "imported %d JVM events (%d stacks) into capture %s of %s; %d events of other types"
              + " not stored%n",
          result.rows(), s.stacks(), result.captureId(), db, s.skipped());
      s.imported().forEach((type, n) -> System.out.printf("  %-28s %d%n", type, n));
      if (!s.exactIdentity()) {
        System.out.println(
            "  the JVM's start time is not known (it has exited and no capture of it is stored):"
                + " its process and thread tokens will not join kernel captures");
      }
    }
    return 0;
  }

  private int importParquet() {
    if (db == null) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "--parquet needs --db: the database to load the export into");
    }
    if (!Files.isDirectory(source.parquet)) {
      throw new ServerException(
          ServerException.Kind.INVALID, "no export folder at " + source.parquet);
    }
    try (EventStore store = Stores.open(db)) {
      long rows = store.importParquet(source.parquet);
      System.out.printf("imported %d rows from %s into %s%n", rows, source.parquet, db);
    }
    return 0;
  }

  private int importIpynb() {
    Path in = source.ipynb;
    Path out = to != null ? to : in.resolveSibling(baseName(in) + ".md");
    try {
      if (!Files.isRegularFile(in)) {
        throw new ServerException(ServerException.Kind.INVALID, "no file at " + in);
      }
      if (Files.size(in) > MAX_IPYNB_BYTES) {
        throw new ServerException(
            ServerException.Kind.INVALID, in + " is over 64 MiB: not a notebook to import");
      }
      Notebook notebook =
          IpynbImporter.toNotebook(in.getFileName().toString(), Files.readString(in));
      // CREATE_NEW: an existing notebook is never overwritten by an import.
      Files.writeString(out, notebook.text(), StandardOpenOption.CREATE_NEW);
      System.out.printf("imported %d cells from %s into %s%n", notebook.cells().size(), in, out);
      return 0;
    } catch (FileAlreadyExistsException e) {
      throw new ServerException(
          ServerException.Kind.INVALID, out + " already exists: choose another file with --to");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new ServerException(ServerException.Kind.INVALID, in + " is not UTF-8 text");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String baseName(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".ipynb") ? name.substring(0, name.length() - ".ipynb".length()) : name;
  }
}

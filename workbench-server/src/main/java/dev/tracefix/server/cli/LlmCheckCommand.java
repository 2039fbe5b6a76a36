package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.llm.AuditStore;
import dev.tracefix.server.llm.LlmCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Say which model is configured (llm.yaml in the notebook folder, TRACEFIX_LLM_PROVIDER,"
          + " _BASE_URL, _MODEL, _API_KEY) and make one tiny request through the privacy gateway."
          + " Exits 1 when the provider does not answer. The API key is never printed."
    })
final class LlmCheckCommand implements Callable<Integer> {
  @Option(
      names = "--notebooks",
      description = "folder of notebooks holding llm.yaml (default: notebooks/)")
  Path notebooks;

  @Option(
      names = "--db",
      description =
          "record the request in this store's audit file (STORE.llm-audit.duckdb, where the workbench records its requests)")
  Path db;

  @Override
  public Integer call() throws Exception {
    Path dir = notebooks == null ? ProjectPaths.notebooks() : notebooks;
    LlmCheck.Result result;
    if (db != null) {
      if (!Files.isRegularFile(db)) {
        throw new ServerException(ServerException.Kind.INVALID, "no event store at " + db);
      }
      result = run(dir, AuditStore.beside(db));
    } else {
      result = run(dir, null);
    }
    result.lines().forEach(System.out::println);
    return result.ok() ? 0 : 1;
  }

  private static LlmCheck.Result run(Path dir, AuditStore audit) {
    return LlmCheck.run(
        dir, System.getenv(), audit, () -> KeyStore.current(KeyStoreLocation.defaultDir()));
  }
}

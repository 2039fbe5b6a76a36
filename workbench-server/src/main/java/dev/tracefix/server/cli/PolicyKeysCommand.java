package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.keys.KeyStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "List key ids and creation dates (never the keys themselves).")
final class PolicyKeysCommand implements Callable<Integer> {
  @Option(names = "--keys", description = "key store folder (default: ~/.tracefix/keys)")
  Path keys;

  @Override
  public Integer call() {
    Path dir = keys == null ? KeyStoreLocation.defaultDir() : keys;
    for (KeyStore.KeyInfo k : KeyStore.list(dir)) {
      System.out.printf("%s  %s%s%n", k.keyId(), k.createdAt(), k.current() ? "  current" : "");
    }
    return 0;
  }
}

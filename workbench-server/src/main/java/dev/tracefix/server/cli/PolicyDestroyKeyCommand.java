package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.keys.KeyStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "destroy-key",
    mixinStandardHelpOptions = true,
    description = "Overwrite and delete an old key: its tokens can never be recomputed again.")
final class PolicyDestroyKeyCommand implements Callable<Integer> {
  @Parameters(paramLabel = "KEY_ID", description = "e.g. k_3f9a1c2b4d5e")
  String keyId;

  @Option(names = "--keys", description = "key store folder (default: ~/.tracefix/keys)")
  Path keys;

  @Override
  public Integer call() {
    Path dir = keys == null ? KeyStoreLocation.defaultDir() : keys;
    KeyStore.destroy(dir, keyId);
    System.out.println("destroyed " + keyId + "; its tokens are unlinkable for good");
    return 0;
  }
}

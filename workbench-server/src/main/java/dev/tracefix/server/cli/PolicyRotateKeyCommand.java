package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.KeyStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "rotate-key",
    mixinStandardHelpOptions = true,
    description = "Start a new key epoch now (keys also rotate daily on their own).")
final class PolicyRotateKeyCommand implements Callable<Integer> {
  @Option(names = "--keys", description = "key store folder (default: ~/.tracefix/keys)")
  Path keys;

  @Override
  public Integer call() {
    Path dir = keys == null ? KeyStoreLocation.defaultDir() : keys;
    HmacKey fresh = KeyStore.rotate(dir);
    System.out.println("current key is now " + fresh.keyId() + " in " + dir);
    return 0;
  }
}

package dev.tracefix.capture.privacy.recognize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.privacy.keys.KeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KEY_MATERIAL finds a key store's key in the forms a notebook or report shows the file's content,
 * and leaves container ids (the same 64 hex digits) kept as fields of their own alone.
 */
class KeyMaterialRecognizerTest {
  @TempDir Path keys;
  private TextRedactor redactor;
  private String keyFile;
  private String hex;

  @BeforeEach
  void readTheKeyStoresOwnFile() throws Exception {
    redactor = TextRedactor.withKey(KeyStore.current(keys));
    keyFile = Files.readString(keys.resolve("current.key"));
    hex = keyFile.strip();
    assertEquals(64, hex.length(), "KeyStore writes 32 bytes as hex: " + keyFile);
  }

  @Test
  void theKeyFileAsReadFromDiskIsRedacted() {
    assertHidden(keyFile);
  }

  @Test
  void theKeyOnALineOfItsOwnPrintedQuotedOrLabelledIsRedacted() {
    assertHidden(hex + "\n");
    assertHidden("key: " + hex + "\nnext line");
    assertHidden("\"" + hex + "\\n\""); // a Java string value as JShell shows it
    assertHidden("{\"content\":\"" + hex + "\\n\"}");
    assertHidden(hex.toUpperCase(Locale.ROOT) + "\r\n");
  }

  @Test
  void containerIdsDigestsAndOtherHexAreLeftAlone() {
    String containerId = "4f1c3a9e0b7d2c6a8e5f1b3d7c9a2e4f6b8d0c1a3e5f7b9d2c4a6e8f0b1d3c5a";
    assertKept(containerId); // the policy keeps a container id field as it is
    assertKept("/system.slice/docker-" + containerId + ".scope\n");
    assertKept("/kubepods/burstable/pod8d1c2b3a-4e5f-6a7b-8c9d-0e1f2a3b4c5d/" + containerId + "\n");
    assertKept("image sha256:" + containerId + "\n");
    assertKept("checksum sha256=" + containerId + " verified\n");
    assertKept(containerId + "  app.jar\n"); // sha256sum output
    assertKept("commit 3f9a1c2b7e4d5a6b8c9d0e1f2a3b4c5d6e7f8a9b\n");
    assertKept("0".repeat(64) + "\n");
    assertKept(containerId + "a\n"); // 65 digits: not 32 bytes
    assertKept(
        containerId.substring(0, 32) + containerId.substring(32).toUpperCase(Locale.ROOT) + "\n");
  }

  private void assertHidden(String text) {
    String out = redactor.redact(text);
    assertFalse(out.toLowerCase(Locale.ROOT).contains(hex), () -> "key still visible: " + out);
    assertTrue(out.contains("<KEY_MATERIAL:"), () -> "not marked as key material: " + out);
  }

  private void assertKept(String text) {
    assertEquals(text, redactor.redact(text));
  }
}

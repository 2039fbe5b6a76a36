package dev.tracefix.capture.privacy.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactorTest {
  private static final String BOOT = "6f1c2e1a-0000-4000-8000-000000000001";
  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  @TempDir Path dir;

  @Test
  void sameInputUnderTheSameKeyGivesTheSameToken() {
    HmacKey key = KeyStore.current(dir.resolve("keys"));
    Redactor a = new Redactor(key, BOOT);
    Redactor b = new Redactor(KeyStore.current(dir.resolve("keys")), BOOT);

    assertEquals(a.processToken(4242, 9001), b.processToken(4242, 9001));
    assertEquals(a.addressHash(2, LOOPBACK, 53), b.addressHash(2, LOOPBACK, 53));
    assertEquals(a.exeHash("/usr/bin/curl"), b.exeHash("/usr/bin/curl"));
    assertTrue(a.processToken(4242, 9001).matches("p_[0-9a-f]{16}"));
    assertTrue(a.addressHash(2, LOOPBACK, 53).matches("a_[0-9a-f]{16}"));
    assertTrue(a.exeHash("/usr/bin/curl").matches("e_[0-9a-f]{16}"));
  }

  @Test
  void tokensAreTheFirst64BitsOfTheHmacOfTheDomainSeparatedIdentityAsStoresAlreadyHoldThem()
      throws Exception {
    byte[] secret = new byte[32];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) (7 * i + 1);
    }
    Redactor r = new Redactor(new HmacKey("k_fixed", secret), BOOT);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
    java.util.function.Function<byte[], String> first64 =
        input -> HexFormat.of().formatHex(mac.doFinal(input), 0, 8);

    assertEquals(
        "p_" + first64.apply(("proc\0" + BOOT + "\0" + 4242 + "\0" + 9001).getBytes()),
        r.processToken(4242, 9001));
    assertEquals(
        "t_" + first64.apply(("thread\0" + BOOT + "\0" + 4242 + "\0" + 9001 + "\0" + 7).getBytes()),
        r.threadToken(4242, 9001, 7));
    assertEquals("e_" + first64.apply("exe\0/usr/bin/curl".getBytes()), r.exeHash("/usr/bin/curl"));
    byte[] address =
        java.nio.ByteBuffer.allocate(17)
            .put("addr\0".getBytes())
            .putInt(2)
            .put(LOOPBACK)
            .putInt(53)
            .array();
    assertEquals("a_" + first64.apply(address), r.addressHash(2, LOOPBACK, 53));
  }

  @Test
  void aDifferentKeyGivesDifferentTokens() {
    Redactor first = new Redactor(KeyStore.current(dir.resolve("one")), BOOT);
    Redactor second = new Redactor(KeyStore.current(dir.resolve("two")), BOOT);

    assertNotEquals(first.keyId(), second.keyId());
    assertNotEquals(first.processToken(4242, 9001), second.processToken(4242, 9001));
    assertNotEquals(first.addressHash(2, LOOPBACK, 53), second.addressHash(2, LOOPBACK, 53));
    assertNotEquals(first.exeHash("/usr/bin/curl"), second.exeHash("/usr/bin/curl"));
  }

  @Test
  void aReusedPidWithAnotherStartTimeIsAnotherProcess() {
    Redactor r = new Redactor(KeyStore.current(dir), BOOT);
    assertNotEquals(r.processToken(4242, 9001), r.processToken(4242, 9002));
    assertNotEquals(
        r.processToken(4242, 9001),
        new Redactor(KeyStore.current(dir), "other-boot").processToken(4242, 9001));
    assertNotEquals(r.addressHash(2, LOOPBACK, 53), r.addressHash(2, LOOPBACK, 54));
  }

  @Test
  void keyFilesAre0600InA0700DirectoryAndTheKeyIdRevealsNoKey() throws Exception {
    Path keys = dir.resolve("store");
    HmacKey key = KeyStore.current(keys);

    Path file = keys.resolve(KeyStore.CURRENT);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
    String secretHex = HexFormat.of().formatHex(key.secret());
    assertFalse(key.keyId().contains(secretHex.substring(0, 8)));
    assertFalse(key.toString().contains(secretHex));
    assertEquals(key.keyId(), KeyStore.current(keys).keyId(), "created once, then reused");
  }

  @Test
  void rotationMakesANewKeyAndKeepsTheOldOneUnderItsId() throws Exception {
    HmacKey old = KeyStore.current(dir);
    HmacKey fresh = KeyStore.rotate(dir);

    assertNotEquals(old.keyId(), fresh.keyId());
    Path kept = dir.resolve(old.keyId() + ".key");
    assertTrue(Files.exists(kept));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
  }
}

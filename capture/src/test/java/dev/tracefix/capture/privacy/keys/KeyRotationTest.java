package dev.tracefix.capture.privacy.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.privacy.TextRedactor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRotationTest {
  private static final String TEXT = "mail alice@example.com from 10.1.2.3";

  @TempDir Path dir;

  @Test
  void sameInputAndKeyGiveTheSameTokenAndRotationGivesAnother() {
    String first = TextRedactor.withKey(KeyStore.current(dir)).redact(TEXT);
    String again = TextRedactor.withKey(KeyStore.current(dir)).redact(TEXT);
    String rotated = TextRedactor.withKey(KeyStore.rotate(dir)).redact(TEXT);

    assertEquals(first, again);
    assertNotEquals(first, rotated);
    assertFalse(rotated.contains("alice") || rotated.contains("10.1.2.3"), rotated);
  }

  @Test
  void aKeyOlderThanTheScheduleIsRotatedOnFirstUse() throws Exception {
    HmacKey old = KeyStore.current(dir);
    Instant created = Files.getLastModifiedTime(dir.resolve(KeyStore.CURRENT)).toInstant();
    Clock sameDay = Clock.fixed(created.plus(Duration.ofHours(23)), ZoneOffset.UTC);
    Clock nextDay = Clock.fixed(created.plus(Duration.ofHours(25)), ZoneOffset.UTC);

    assertEquals(old.keyId(), KeyStore.current(dir, Duration.ofDays(1), sameDay).keyId());
    HmacKey fresh = KeyStore.current(dir, Duration.ofDays(1), nextDay);
    assertNotEquals(old.keyId(), fresh.keyId());
    assertEquals(fresh.keyId(), KeyStore.current(dir).keyId(), "the new epoch sticks");
    List<KeyStore.KeyInfo> keys = KeyStore.list(dir);
    assertEquals(
        List.of(fresh.keyId(), old.keyId()), keys.stream().map(KeyStore.KeyInfo::keyId).toList());
  }

  @Test
  void aDefaultDailyScheduleRotatesAStaleKey() throws Exception {
    HmacKey old = KeyStore.current(dir);
    Files.setLastModifiedTime(
        dir.resolve(KeyStore.CURRENT), FileTime.from(Instant.now().minus(Duration.ofDays(2))));
    assertNotEquals(old.keyId(), KeyStore.current(dir).keyId());
  }

  @Test
  void afterDestroyingAKeyNothingOnDiskRecomputesItsTokens() throws Exception {
    HmacKey old = KeyStore.current(dir);
    String oldToken = TextRedactor.withKey(old).redact(TEXT);
    String secretHex = HexFormat.of().formatHex(old.secret());
    KeyStore.rotate(dir);
    assertEquals(
        oldToken,
        TextRedactor.withKey(KeyStore.find(dir, old.keyId()).orElseThrow()).redact(TEXT),
        "kept old keys still match their tokens locally");

    KeyStore.destroy(dir, old.keyId());

    assertTrue(KeyStore.find(dir, old.keyId()).isEmpty());
    for (KeyStore.KeyInfo k : KeyStore.list(dir)) {
      HmacKey remaining = KeyStore.find(dir, k.keyId()).orElseThrow();
      assertNotEquals(oldToken, TextRedactor.withKey(remaining).redact(TEXT));
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertFalse(content.contains(secretHex), f + " still holds the destroyed key");
      }
    }
  }

  @Test
  void theCurrentKeyCannotBeDestroyedWithoutRotatingFirst() {
    HmacKey key = KeyStore.current(dir);
    CaptureException e =
        assertThrows(CaptureException.class, () -> KeyStore.destroy(dir, key.keyId()));
    assertTrue(e.getMessage().contains("rotate"), e.getMessage());
  }
}

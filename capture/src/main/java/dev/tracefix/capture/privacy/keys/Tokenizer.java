package dev.tracefix.capture.privacy.keys;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed tokens for one key epoch: HMAC-SHA256 of a domain-separated value, hex-truncated. Equal
 * inputs under one key give equal tokens; a new key gives unrelated ones. Tokens of distinct values
 * are cached (bounded) because the same comm, path or address repeats on every event.
 */
public final class Tokenizer {
  private static final int DEFAULT_CACHE = 65_536;
  private static final HexFormat HEX = HexFormat.of();

  private final String keyId;
  private final ThreadLocal<Mac> mac;
  private final ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();
  private final int cacheLimit;

  public Tokenizer(HmacKey key) {
    this(key, DEFAULT_CACHE);
  }

  public Tokenizer(HmacKey key, int cacheLimit) {
    this.keyId = key.keyId();
    this.cacheLimit = cacheLimit;
    SecretKeySpec spec = new SecretKeySpec(key.secret(), "HmacSHA256");
    this.mac = ThreadLocal.withInitial(() -> newMac(spec));
    mac.get(); // fail now, not on the first event, if the JDK lacks HmacSHA256
  }

  public String keyId() {
    return keyId;
  }

  /**
   * {@code hexChars} hex digits of HMAC(key, domain NUL value). The domain keeps equal values in
   * different roles (an e-mail address and a comm that happen to be equal) apart.
   */
  public String token(String domain, String value, int hexChars) {
    String cacheKey = domain + '\0' + value;
    String cached = cache.get(cacheKey);
    if (cached != null && cached.length() >= hexChars) {
      return cached.length() == hexChars ? cached : cached.substring(0, hexChars);
    }
    String token = token(cacheKey.getBytes(StandardCharsets.UTF_8), hexChars);
    if (cache.size() >= cacheLimit) {
      cache.clear(); // crude but bounded; a capture's distinct values rarely exceed the limit
    }
    cache.put(cacheKey, token);
    return token;
  }

  /**
   * {@code hexChars} hex digits of HMAC(key, input), not cached: for inputs that are already
   * domain-separated bytes (a process identity, an address and port), which seldom repeat.
   */
  public String token(byte[] input, int hexChars) {
    byte[] digest = mac.get().doFinal(input);
    return HEX.formatHex(digest, 0, (hexChars + 1) / 2).substring(0, hexChars);
  }

  private static Mac newMac(SecretKeySpec spec) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(spec);
      return m;
    } catch (GeneralSecurityException e) {
      throw new CaptureException(Kind.INTERNAL, "HmacSHA256 is unavailable in this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "Tokenizer[keyId=" + keyId + "]";
  }
}

package dev.tracefix.sink;

import dev.tracefix.capture.privacy.keys.HmacKey;

/** A fixed HMAC key for exports in tests: placeholders and tokens are the same on every run. */
public final class TestKeys {
  public static final HmacKey KEY = new HmacKey("k_7e57000000aa", new byte[32]);

  private TestKeys() {}
}

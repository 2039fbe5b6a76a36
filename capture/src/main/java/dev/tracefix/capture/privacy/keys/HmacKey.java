package dev.tracefix.capture.privacy.keys;

/**
 * A local HMAC-SHA256 key. The id is a short hash of the key, safe to store and export; the secret
 * never leaves the key store directory.
 */
public record HmacKey(String keyId, byte[] secret) {
  public HmacKey {
    secret = secret.clone();
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  @Override
  public String toString() {
    return "HmacKey[keyId=" + keyId + "]";
  }
}

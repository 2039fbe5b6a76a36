package dev.tracefix.server.llm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request to a provider as it went over the wire: the SHA-256 and size of the body bytes the
 * HTTP client sent, and the bytes that came back. The gateway opens an exchange around each call
 * ({@link #open}); the HTTP client ({@link RecordingHttpClient}) fills it in, and refuses to send
 * anything outside one, so no code path reaches a provider except through the gateway.
 */
final class Exchange implements AutoCloseable {
  private static final ThreadLocal<Exchange> CURRENT = new ThreadLocal<>();

  private volatile String sentSha256;
  private volatile long sentBytes = -1;
  private final AtomicLong receivedBytes = new AtomicLong();
  private volatile int requests;

  static Exchange open() {
    Exchange e = new Exchange();
    CURRENT.set(e);
    return e;
  }

  /** The exchange of this thread's call through the gateway, or null outside one. */
  static Exchange current() {
    return CURRENT.get();
  }

  void sent(String body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    sentSha256 = sha256(bytes);
    sentBytes = bytes.length;
    requests++;
  }

  void received(long bytes) {
    receivedBytes.addAndGet(bytes);
  }

  String sentSha256() {
    return sentSha256;
  }

  long sentBytes() {
    return sentBytes;
  }

  long receivedBytes() {
    return receivedBytes.get();
  }

  /** HTTP requests made in this exchange (more than one would mean a retry). */
  int requests() {
    return requests;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JDK", e);
    }
  }

  static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    if (CURRENT.get() == this) {
      CURRENT.remove();
    }
  }
}

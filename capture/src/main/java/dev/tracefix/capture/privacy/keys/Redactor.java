package dev.tracefix.capture.privacy.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns raw identities into keyed tokens: HMAC-SHA256 under the local key (through {@link
 * Tokenizer}, the one HMAC of capture), truncated to 64 bits and prefixed by what they stand for
 * ({@code p_} process, {@code t_} thread, {@code a_} address, {@code e_} executable path). Each
 * input is domain-separated so equal bytes in different roles differ.
 */
public final class Redactor {
  /** 64 bits of the HMAC, as hex. */
  private static final int TOKEN_HEX = 16;

  private final Tokenizer tokenizer;
  private final String keyId;
  private final String bootId;

  public Redactor(HmacKey key, String bootId) {
    this.keyId = key.keyId();
    this.bootId = bootId;
    this.tokenizer = new Tokenizer(key);
  }

  public String keyId() {
    return keyId;
  }

  /** Process identity = boot id + pid + start time (ticks since boot): unique across pid reuse. */
  public String processToken(int pid, long startTicks) {
    return token(
        "p_",
        ("proc\0" + bootId + "\0" + pid + "\0" + startTicks).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The token of the {@code generation}-th program a process runs: generation 0 is the process as
   * first seen ({@link #processToken(int, long)}), each exec after it was announced adds one, so
   * each program a process becomes is told apart under its own token.
   */
  public String processToken(int pid, long startTicks, int generation) {
    if (generation == 0) {
      return processToken(pid, startTicks);
    }
    return token(
        "p_",
        ("proc\0" + bootId + "\0" + pid + "\0" + startTicks + "\0exec\0" + generation)
            .getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Thread identity = the process identity (boot id, pid, leader start time) + thread id: a raw
   * thread id never leaves capture.
   */
  public String threadToken(int pid, long startTicks, int tid) {
    return token(
        "t_",
        ("thread\0" + bootId + "\0" + pid + "\0" + startTicks + "\0" + tid)
            .getBytes(StandardCharsets.UTF_8));
  }

  /** An address and port; {@code address} is 4 (IPv4) or 16 (IPv6) bytes in network order. */
  public String addressHash(int family, byte[] address, int port) {
    ByteBuffer input = ByteBuffer.allocate(5 + 4 + address.length + 4);
    input
        .put("addr\0".getBytes(StandardCharsets.US_ASCII))
        .putInt(family)
        .put(address)
        .putInt(port);
    return token("a_", input.array());
  }

  public String exeHash(String path) {
    return token("e_", ("exe\0" + path).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A program name the kernel may have cut to 15 bytes, whose whole name could not be read: a keyed
   * token in the recognizers' {@code <TYPE:token>} form. The 15 bytes themselves may be the start
   * of an address or key that no recognizer can spot cut short.
   */
  public String cutCommToken(String comm) {
    return "<CUT_COMM:"
        + token("", ("comm\0" + comm).getBytes(StandardCharsets.UTF_8)).substring(0, 8)
        + ">";
  }

  private String token(String prefix, byte[] input) {
    return prefix + tokenizer.token(input, TOKEN_HEX);
  }
}

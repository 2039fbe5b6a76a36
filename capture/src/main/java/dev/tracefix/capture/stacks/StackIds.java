package dev.tracefix.capture.stacks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The id of a symbolized stack: the first 8 bytes of SHA-256 over its user and kernel frames. The
 * same code path gets the same id in every process and capture; never 0 (0 means "no stack").
 */
public final class StackIds {
  private StackIds() {}

  public static long of(List<String> frames, List<String> kernelFrames) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JDK", e);
    }
    for (String f : frames) {
      sha.update(("u\0" + f + "\0").getBytes(StandardCharsets.UTF_8));
    }
    for (String f : kernelFrames) {
      sha.update(("k\0" + f + "\0").getBytes(StandardCharsets.UTF_8));
    }
    long id = ByteBuffer.wrap(sha.digest()).getLong();
    return id == 0 ? 1 : id;
  }
}

package dev.tracefix.capture.proc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a capture records of the kernel's boot id: the first 16 hex digits of its SHA-256, enough to
 * tell whether two captures ran in the same boot, never the id itself (which a host shares with
 * every other tool that reads it).
 */
public final class BootIdHash {
  /** Hex digits kept: 64 bits, far from colliding across the boots of a fleet. */
  public static final int HEX_DIGITS = 16;

  private BootIdHash() {}

  /**
   * The hash of {@code bootId} as read from /proc/sys/kernel/random/boot_id (whitespace stripped).
   */
  public static String of(String bootId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(bootId.strip().getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest).substring(0, HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}

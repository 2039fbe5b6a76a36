package dev.tracefix.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Whose rows {@link EventStore#forget} deletes: every row of one process token, of every process in
 * one cgroup (path or container id), or of one whole capture.
 */
public sealed interface Subject {
  /** A process token ({@code p_…}): its events, its process rows, stacks only it used. */
  record Token(String token) implements Subject {
    public Token {
      requireText("token", token);
    }
  }

  /** A cgroup path or container id: every process in it, with their events and stacks. */
  record Cgroup(String cgroup) implements Subject {
    public Cgroup {
      requireText("cgroup", cgroup);
    }
  }

  /** A capture id: the capture and everything recorded under it. */
  record Capture(String captureId) implements Subject {
    public Capture {
      requireText("capture id", captureId);
    }
  }

  /** {@code token}, {@code cgroup} or {@code capture}: what the audit records as the kind. */
  default String kind() {
    return switch (this) {
      case Token t -> "token";
      case Cgroup c -> "cgroup";
      case Capture c -> "capture";
    };
  }

  /** The subject's text; only ever used in a query parameter, never stored or printed. */
  default String value() {
    return switch (this) {
      case Token t -> t.token();
      case Cgroup c -> c.cgroup();
      case Capture c -> c.captureId();
    };
  }

  /**
   * {@code sha256:} + hex of {@code kind:value}: lets an auditor check "was X forgotten?" by
   * recomputing it, without the audit holding X.
   */
  default String digest() {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((kind() + ":" + value()).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new SinkException(SinkException.Kind.INTERNAL, "this JVM has no SHA-256", e);
    }
  }

  private static void requireText(String what, String text) {
    if (text == null || text.isBlank()) {
      throw new SinkException(SinkException.Kind.USER, "the " + what + " to forget is empty");
    }
  }
}

package dev.tracefix.capture.privacy.policy;

/** What a policy does with one field's value. */
public sealed interface Action {
  /** Keep the value; text still passes the recognizers. */
  record Keep() implements Action {}

  /** Replace text by a keyed token {@code h_...}: stable within a key epoch, unlinkable across. */
  record Hmac() implements Action {}

  /** Replace text by an unkeyed SHA-256 prefix {@code s_...}: stable across epochs and hosts. */
  record Hash() implements Action {}

  /** Coarsen a number: byte counts to the next power of two, {@code *_ns} to 1-2-5 buckets. */
  record Bucket() implements Action {}

  /** Keep at most {@code length} characters of the recognizer-redacted text. */
  record Truncate(int length) implements Action {}

  /**
   * A name a program chose (comm, thread, executable, symbol): kept whole when it is plain words,
   * else whole as a keyed token; see {@code IdentityText#name}.
   */
  record Name() implements Action {}

  /** A cgroup path: runtime and systemd segments kept, every other segment a keyed token. */
  record CgroupPath() implements Action {}

  /** Remove the field. */
  record Drop() implements Action {}

  Action KEEP = new Keep();
  Action DROP = new Drop();

  static String describe(Action a) {
    return switch (a) {
      case Keep k -> "keep";
      case Hmac h -> "hmac";
      case Hash h -> "hash";
      case Bucket b -> "bucket";
      case Truncate t -> "truncate(" + t.length() + ")";
      case Name n -> "name";
      case CgroupPath c -> "cgroup_path";
      case Drop d -> "drop";
    };
  }
}

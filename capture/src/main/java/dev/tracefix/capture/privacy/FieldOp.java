package dev.tracefix.capture.privacy;

import dev.tracefix.capture.privacy.keys.Tokenizer;
import dev.tracefix.capture.privacy.policy.Action;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;

/** One policy action bound to a field, with the keys and recognizers it needs, and its counter. */
final class FieldOp {
  static final int TOKEN_HEX = 16;

  final String field;
  final Action action;
  final LongAdder applied = new LongAdder();
  private final Tokenizer tokenizer;
  private final TextRedactor text;

  FieldOp(String field, Action action, Tokenizer tokenizer, TextRedactor text) {
    this.field = field;
    this.action = action;
    this.tokenizer = tokenizer;
    this.text = text;
  }

  /** The safe value, or null when the field is dropped; counted for the attestation. */
  Object apply(Object value) {
    applied.increment();
    return applyUncounted(value);
  }

  /**
   * {@link #apply} for a caller that counts in bulk: a record's fixed decisions are counted once
   * per record by its {@link TypePlan}, not once per field.
   */
  Object applyUncounted(Object value) {
    if (value == null) {
      return null;
    }
    return switch (action) {
      case Action.Keep k -> value instanceof String s ? text.redactCached(s) : value;
      case Action.Hmac h -> "h_" + tokenizer.token("field:" + field, value.toString(), TOKEN_HEX);
      case Action.Hash h -> "s_" + sha256(field + '\0' + value);
      case Action.Bucket b -> value instanceof Number n ? bucket(n.longValue()) : null;
      case Action.Truncate t -> truncate(text.redactCached(value.toString()), t.length());
      case Action.Name n -> text.identity().name(value.toString());
      case Action.CgroupPath c -> text.identity().cgroupPath(value.toString());
      case Action.Drop d -> null;
    };
  }

  /** {@link #applyUncounted} of a text value, which is text or null for every action. */
  String applyText(String value) {
    return (String) applyUncounted(value);
  }

  /** {@link #applyUncounted} of a {@code long} component under {@code bucket}, unboxed. */
  long bucketLong(long v) {
    return field.endsWith("_ns") ? Buckets.logDuration(v) : Buckets.powerOfTwo(v);
  }

  /**
   * {@link #bucketLong} for an {@code int} component: the reference path stores a bucket above
   * {@code Integer.MAX_VALUE} as {@code Integer.MAX_VALUE}.
   */
  int bucketInt(int v) {
    return (int) Math.min(Integer.MAX_VALUE, bucketLong(v));
  }

  private Object bucket(long v) {
    return bucketLong(v);
  }

  private static String truncate(String s, int length) {
    if (s.length() <= length) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(length - 1)) ? length - 1 : length;
    return s.substring(0, Math.max(end, 0));
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, TOKEN_HEX / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JDK", e);
    }
  }
}

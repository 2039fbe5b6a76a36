package dev.tracefix.sink.parquet;

import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.Tokenizer;
import java.util.Map;

/**
 * What every text value of an export passes before it is written: capture's {@link TextRedactor}
 * (the recognizers capture runs, keyed placeholders such as {@code <EMAIL:3f9a1c2b>}) for values,
 * and an identity check for the values that become folder names ({@code host=}, {@code capture=}),
 * which must stay one path segment and so become keyed tokens instead of placeholders.
 *
 * <p>Values tracefix already redacted (tokens like {@code p_…}, placeholders) come out unchanged,
 * so exporting an imported export changes nothing.
 */
final class ExportRedaction {
  /** Prefix of a capture id that was replaced. */
  static final String CAPTURE_TOKEN = "c_";

  private static final int TOKEN_HEX = 16;

  private final TextRedactor redactor;
  private final Tokenizer tokenizer;

  ExportRedaction(HmacKey key) {
    this.redactor = TextRedactor.withKey(key);
    this.tokenizer = new Tokenizer(key);
  }

  String keyId() {
    return redactor.keyId();
  }

  /** A text value with every recognized secret or identifier replaced; null stays null. */
  String text(String value) {
    return redactor.redact(value);
  }

  /**
   * The host name as an export may show it: unchanged when it is plain words, else a keyed,
   * path-safe {@code host-<hex>} token ({@code IdentityText}: recognizers, secrets' keywords,
   * person names, random-looking words). A name capture already tokenized stays as it is.
   */
  String redactHostname(String host) {
    return host == null ? null : redactor.identity().hostname(host);
  }

  /** A capture id, a folder name too: unchanged unless a recognizer fires on it. */
  String captureId(String id) {
    if (id == null) {
      return null;
    }
    boolean identifying = !redactor.redact(id).equals(id);
    return identifying ? CAPTURE_TOKEN + tokenizer.token("export:capture", id, TOKEN_HEX) : id;
  }

  /** Findings replaced so far, per recognizer type (each distinct value of a column once). */
  Map<String, Long> counts() {
    return redactor.counts();
  }
}

package dev.tracefix.sink.parquet;

import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.privacy.keys.Tokenizer;
import dev.tracefix.capture.redact.HmacKey;
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
  /** Prefix of a host name that was replaced: {@code h_} + 16 hex of its keyed hash. */
  static final String HOST_TOKEN = "h_";
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
   * The host name as an export may show it: unchanged, or {@code h_<keyed hash>} when it
   * identifies someone or something secret. The one place that decides; swap the check for
   * capture's {@code IdentityText} host-name classifier once it exists (it also knows host names
   * made of a person's name, which the text recognizers cannot tell from any other word).
   */
  String redactHostname(String host) {
    if (host == null) {
      return null;
    }
    boolean identifying = !redactor.redact(host).equals(host); // IdentityText: swap here
    return identifying ? HOST_TOKEN + tokenizer.token("export:host", host, TOKEN_HEX) : host;
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

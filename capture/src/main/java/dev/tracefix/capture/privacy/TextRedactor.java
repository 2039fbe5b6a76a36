package dev.tracefix.capture.privacy;

import dev.tracefix.capture.privacy.identity.IdentityText;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.Tokenizer;
import dev.tracefix.capture.privacy.recognize.Finding;
import dev.tracefix.capture.privacy.recognize.Recognizer;
import dev.tracefix.capture.privacy.recognize.Recognizers;
import dev.tracefix.capture.privacy.recognize.TextScanner;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one entry for free text that may reach storage, a report or a model (argv, paths, comm, error
 * strings, notebook exports, prompts): every recognized value becomes a typed keyed placeholder
 * such as {@code <EMAIL:3f9a1c2b>}. Equal values under one key give equal placeholders, so redacted
 * text still shows "the same address twice". Thread-safe.
 */
public final class TextRedactor {
  static final int PLACEHOLDER_HEX = 8;
  private static final int CACHEABLE_LENGTH = 256;
  private static final int CACHE_LIMIT = 65_536;

  private final Tokenizer tokenizer;
  private final TextScanner scanner;
  private final IdentityText identity;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public TextRedactor(Tokenizer tokenizer, List<Recognizer> recognizers) {
    this.tokenizer = tokenizer;
    this.scanner = new TextScanner(recognizers);
    this.identity = new IdentityText(tokenizer);
  }

  /** The stricter rule for names a traced program chose (comm, cgroup, host, symbol), same key. */
  public IdentityText identity() {
    return identity;
  }

  /** The default recognizers under {@code key}. */
  public static TextRedactor withKey(HmacKey key) {
    return new TextRedactor(new Tokenizer(key), Recognizers.defaults());
  }

  public static TextRedactor withTokenizer(Tokenizer tokenizer) {
    return new TextRedactor(tokenizer, Recognizers.defaults());
  }

  public String keyId() {
    return tokenizer.keyId();
  }

  /** {@code text} with every recognized value replaced; null stays null. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    List<Finding> findings = scanner.scan(text);
    return findings.isEmpty() ? text : replace(text, findings, true);
  }

  private String replace(String text, List<Finding> findings, boolean count) {
    StringBuilder out = new StringBuilder(text.length() + 16 * findings.size());
    int at = 0;
    for (Finding f : findings) {
      out.append(text, at, f.start());
      String value = text.substring(f.start(), f.end());
      out.append('<')
          .append(f.type())
          .append(':')
          .append(tokenizer.token("text:" + f.type(), value, PLACEHOLDER_HEX))
          .append('>');
      if (count) {
        counts.computeIfAbsent(f.type(), t -> new LongAdder()).increment();
      }
      at = f.end();
    }
    return out.append(text, at, text.length()).toString();
  }

  /**
   * Like {@link #redact}, remembering the result for short values: event fields (comm, cgroup,
   * tokens) repeat on every event, and a key epoch never changes a value's placeholder.
   */
  public String redactCached(String text) {
    if (text == null || text.length() > CACHEABLE_LENGTH) {
      return redact(text);
    }
    Cached hit = cache.get(text);
    if (hit == null) {
      List<Finding> findings = scanner.scan(text);
      String[] types = findings.stream().map(Finding::type).toArray(String[]::new);
      hit = new Cached(findings.isEmpty() ? text : replace(text, findings, false), types);
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
      cache.put(text, hit);
    }
    for (String type : hit.types()) {
      counts.computeIfAbsent(type, t -> new LongAdder()).increment();
    }
    return hit.redacted();
  }

  private record Cached(String redacted, String[] types) {}

  /**
   * A symbolized stack frame, {@code module!symbol+0xoff}: the module is a file name whoever
   * installed the binary chose, so it passes the identity rule ({@code <PERSON:…>!main+0x10}); the
   * symbol is code and passes the recognizers like other text. A frame without a module (kernel
   * symbols, {@code [unknown]}) is plain text.
   */
  public String redactFrame(String frame) {
    int bang = frame == null ? -1 : frame.indexOf('!');
    if (bang <= 0) {
      return redactCached(frame);
    }
    return identity.name(frame.substring(0, bang)) + "!" + redactCached(frame.substring(bang + 1));
  }

  /** What would be replaced, without replacing (for tests and explain output). */
  public List<Finding> findings(String text) {
    return text == null ? List.of() : scanner.scan(text);
  }

  /** Replacements so far per recognizer type, for the privacy attestation. */
  public Map<String, Long> counts() {
    Map<String, Long> snapshot = new TreeMap<>();
    counts.forEach((type, n) -> snapshot.put(type, n.sum()));
    identity.counts().forEach((type, n) -> snapshot.merge("identity:" + type, n, Long::sum));
    return snapshot;
  }
}

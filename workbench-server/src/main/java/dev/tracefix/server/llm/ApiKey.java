package dev.tracefix.server.llm;

/**
 * A provider's API key. It is handed to the provider client and to nothing else: {@link
 * #toString()} never shows it, and {@link #scrub} takes it out of any text on its way to a log, a
 * cell, a report or the console (a provider's error body may echo it back).
 */
public final class ApiKey {
  static final ApiKey NONE = new ApiKey(null);

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  static ApiKey of(String value) {
    return value == null || value.isBlank() ? NONE : new ApiKey(value.strip());
  }

  boolean present() {
    return value != null;
  }

  /** For the provider client only. */
  String reveal() {
    return value;
  }

  /** {@code text} with the key (and its longer fragments) replaced by {@code <api-key>}. */
  public String scrub(String text) {
    if (text == null || value == null) {
      return text;
    }
    String out = text.replace(value, "<api-key>");
    // An error body may quote a key cut short ("sk-abc...xyz"): drop any 8+ character piece of it.
    if (value.length() >= 16) {
      for (int i = 0; i + 8 <= value.length(); i += 4) {
        out = out.replace(value.substring(i, i + 8), "<api-key>");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return present() ? "set (not shown)" : "not set";
  }
}

package dev.tracefix.capture.privacy.recognize;

import java.util.regex.MatchResult;

/**
 * {@code password=...}, {@code api_key: ...}, {@code "token": "..."}: the value after a
 * secret-sounding key. In source code {@code token = request.header()} assigns an expression, not a
 * secret, so an unquoted value needs the compact {@code key=value} (argv, env, query strings) or
 * {@code key: value} (YAML, headers) shape and must not be a call.
 */
final class SecretAssignment {
  private SecretAssignment() {}

  static final String[] KEYWORDS = {
    "pass",
    "pwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "accesskey",
    "private_key",
    "credential",
    "auth"
  };

  static final int VALUE = 5;

  /**
   * The key must end in a keyword ({@code DB_PASSWORD}, {@code client_secret}); its value follows.
   */
  static final String REGEX =
      "(?i)(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|access[_-]?key"
          + "|private[_-]?key|credentials?|auth)[\"']?"
          + "([ ]{0,3}+)([=:])(?!=)([ ]{0,3}+)"
          // A backtick ends the value: Markdown's inline code and the shell's substitution.
          + "([\"']{0,2}+)([^\\s\"'`&,;)(\\]}{<>]{1,512}+)";

  static int acceptedEnd(MatchResult m, int group, CharSequence text) {
    String value = m.group(group);
    if (Recognizers.notASecret(value)) {
      return -1;
    }
    boolean quoted = !m.group(4).isEmpty();
    if (!quoted) {
      boolean spacedBefore = !m.group(1).isEmpty();
      boolean spacedAfter = !m.group(3).isEmpty();
      // `token = compute()` and `a ? token : b` are code, not configuration.
      if (spacedBefore || (m.group(2).equals("=") && spacedAfter)) {
        return -1;
      }
      int end = m.end(group);
      if (end < text.length() && text.charAt(end) == '(') {
        return -1;
      }
      if (value.endsWith(".") || value.contains("::")) {
        return -1; // `auth: this.x.` / method references
      }
    }
    return m.end(group);
  }
}

package dev.tracefix.capture.privacy.identity;

import java.util.regex.Pattern;

/**
 * A secret's name followed by the start of its value, as a name cut short shows it: the kernel
 * keeps 15 bytes of a comm, so {@code password_hunter2} arrives as {@code password_hunter} and
 * {@code Bearer_eyJhbGciOi…} as {@code Bearer_eyJhbGci}. In an identity field (a program, thread,
 * cgroup or host name) such a prefix is itself the finding; in free text the full recognizers
 * decide, since {@code password_reset} is a fine function name there.
 */
final class SecretKeywords {
  private SecretKeywords() {}

  static final String TYPE = "SECRET_PREFIX";

  private static final Pattern KEYWORD_THEN_VALUE =
      Pattern.compile(
          "(?i)(?:^|[^a-z0-9])(?:password|passwd|passphrase|pwd|secret|api[_-]?key|apikey"
              + "|api[_-]?token|access[_-]?key|access[_-]?token|auth[_-]?token|refresh[_-]?token"
              + "|token|bearer|basic|authorization|credentials?|creds|private[_-]?key|privkey"
              + "|session[_-]?id|sessid|cookie|jwt|ssn)[_=:.\\s-]+[^\\s]");

  /** True if {@code name} holds a secret's keyword followed by a value. */
  static boolean found(String name) {
    return KEYWORD_THEN_VALUE.matcher(name).find();
  }
}

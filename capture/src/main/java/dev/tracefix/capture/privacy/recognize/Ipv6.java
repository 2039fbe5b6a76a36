package dev.tracefix.capture.privacy.recognize;

/**
 * IPv6 in full, compressed ({@code ::}) and IPv4-suffixed forms. Every alternative is bounded, and
 * the boundary lookarounds keep {@code Type::method} and clock times ({@code 10:15:30}) out.
 */
final class Ipv6 {
  private Ipv6() {}

  private static final String H = "[0-9A-Fa-f]{1,4}";
  private static final String V4 =
      "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
          + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

  static final String REGEX =
      "(?<![0-9A-Za-z:_.])("
          + "(?:"
          + H
          + ":){7}"
          + H
          + "|(?:"
          + H
          + ":){1,4}:"
          + V4
          + "|::(?:ffff(?::0{1,4})?:)?"
          + V4
          + "|(?:"
          + H
          + ":){6}"
          + V4
          + "|(?:"
          + H
          + ":){1,6}:"
          + H
          + "|(?:"
          + H
          + ":){1,5}(?::"
          + H
          + "){1,2}"
          + "|(?:"
          + H
          + ":){1,4}(?::"
          + H
          + "){1,3}"
          + "|(?:"
          + H
          + ":){1,3}(?::"
          + H
          + "){1,4}"
          + "|(?:"
          + H
          + ":){1,2}(?::"
          + H
          + "){1,5}"
          + "|"
          + H
          + ":(?::"
          + H
          + "){1,6}"
          + "|::(?:"
          + H
          + ":){0,6}"
          + H
          + "|(?:"
          + H
          + ":){1,7}:(?![0-9A-Za-z])"
          + ")(?:%[0-9A-Za-z]{1,16})?(?![0-9A-Za-z_]|:[0-9A-Za-z:]|\\.[0-9])";
}

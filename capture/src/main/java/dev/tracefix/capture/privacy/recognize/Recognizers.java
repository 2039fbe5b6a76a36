package dev.tracefix.capture.privacy.recognize;

import dev.tracefix.capture.privacy.recognize.Recognizer.Validator;
import java.util.List;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * The default recognizers, most specific first: when two matches overlap, the earlier one in this
 * list wins. Patterns avoid catastrophic backtracking: quantifiers are bounded or possessive, and
 * every pattern starts at a boundary (a lookbehind), so a long run of look-alike characters is
 * scanned once. Adding one: a prefilter, a regex, a validator, and a case in the seeded corpus.
 */
public final class Recognizers {
  private Recognizers() {}

  private static final String B64 = "A-Za-z0-9+/";
  private static final Set<String> NOT_A_SECRET =
      Set.of("null", "none", "true", "false", "undefined", "return", "new", "this", "nil", "");

  /** {@code %s}, {@code %08x}, {@code %APPDATA%}: a format or environment placeholder. */
  private static final Pattern FORMAT_PLACEHOLDER = Pattern.compile("%[-0-9.]*[sdfx]|%[a-z_]+%");

  /** Vendor prefixes of tokens, for {@code SECRET_PREFIX}'s prefilter. */
  private static final String[] CUT_TOKEN_STARTS = {
    "eyJ",
    "AKIA",
    "ASIA",
    "ABIA",
    "ACCA",
    "AGPA",
    "AIDA",
    "AIPA",
    "ANPA",
    "ANVA",
    "AROA",
    "APKA",
    "ASCA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xox",
    "_live_",
    "_test_",
    "whsec_",
    "AIza",
    "glpat-",
    "npm_"
  };

  public static List<Recognizer> defaults() {
    return List.of(
        new Recognizer(
            "PRIVATE_KEY",
            s -> s.has("-----BEGIN") && s.has("PRIVATE KEY"),
            Pattern.compile(
                "-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY-----[\\s\\S]*?"
                    + "(?:-----END (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY-----|\\z)"),
            0,
            Validator.ANY,
            true,
            null),
        Recognizer.of(
                "JWT",
                s -> s.has("eyJ"),
                // After '_' or '-' too: a token in a file, process or cgroup name (Bearer_eyJ...).
                "(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{4,4096}+\\.eyJ[A-Za-z0-9_-]{4,8192}+"
                    + "\\.[A-Za-z0-9_-]{0,1024}+")
            .anchored("e", "A-Za-z0-9", StartChecks::jwt),
        Recognizer.of(
            "URL_CREDENTIALS",
            s -> s.at > 0 && s.has("://"),
            "[A-Za-z][A-Za-z0-9+.-]{0,20}+://([^\\s:/@]{1,256}+:[^\\s/@]{1,256}+)@",
            1,
            Validator.ANY),
        Recognizer.of(
                "AUTH",
                s -> s.hasAnyIgnoreCase("bearer", "basic", "authorization", "token "),
                "(?i)(?:(?:proxy-)?authorization[\"']?\\s{0,3}+[:=]\\s{0,3}+[\"']?"
                    + "(?:bearer|basic|token|digest|negotiate)\\s{1,3}+"
                    + "|(?<![A-Za-z0-9])bearer(\\s{1,3}+|_))"
                    + "([A-Za-z0-9._~+/-]{8,4096}+=*+)",
                2,
                Recognizers::authEnd)
            .anchored("AaBb", "A-Za-z0-9", StartChecks::auth),
        Recognizer.of(
            "AWS_KEY_ID",
            s -> s.upper >= 4 && s.hasAny("AKIA", "ASIA", "AIDA", "AROA", "AGPA", "ANPA", "ABIA"),
            "(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)"
                + "[A-Z0-9]{16}(?![A-Z0-9])"),
        Recognizer.of(
            "AWS_SECRET",
            s -> s.hasIgnoreCase("aws") && s.hasIgnoreCase("secret"),
            "(?i)aws_?secret(?:_?access)?_?key[\"']?\\s{0,3}+[:=]\\s{0,3}+[\"']?(["
                + B64
                + "]{40})(?!["
                + B64
                + "=])",
            1,
            Validator.ANY),
        Recognizer.of(
            "GITHUB_TOKEN",
            s -> s.hasAny("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
            "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}+|github_pat_[A-Za-z0-9_]{22,255}+)"),
        Recognizer.of(
            "SLACK_TOKEN",
            s -> s.hasAny("xox", "hooks.slack.com"),
            "(?<![A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,255}+"
                + "|https://hooks\\.slack\\.com/services/[A-Za-z0-9/_-]{10,255}+"),
        Recognizer.of(
            "GOOGLE_API_KEY",
            s -> s.has("AIza"),
            "(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"),
        Recognizer.of(
            "STRIPE_KEY",
            s -> s.hasAny("_live_", "_test_", "whsec_"),
            "(?<![A-Za-z0-9])(?:(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,247}+"
                + "|whsec_[0-9A-Za-z]{24,247}+)"),
        Recognizer.of(
            // A token cut short (a 15-byte comm, a truncated log line): its vendor prefix and a
            // few characters are enough to tell, and are themselves a part of the secret.
            "SECRET_PREFIX",
            s -> s.hasAny(CUT_TOKEN_STARTS),
            "(?<![A-Za-z0-9])(?:eyJ[A-Za-z0-9_-]{5,4096}+"
                + "|(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{4,15}+"
                + "|gh[pousr]_[A-Za-z0-9]{4,255}+|github_pat_[A-Za-z0-9_]{4,255}+"
                + "|xox[abposre]-[A-Za-z0-9-]{4,255}+|(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{2,247}+"
                + "|whsec_[0-9A-Za-z]{4,247}+|AIza[0-9A-Za-z_-]{4,34}+|glpat-[0-9A-Za-z_-]{4,64}+"
                + "|npm_[A-Za-z0-9]{8,64}+)(?![A-Za-z0-9_-])"),
        Recognizer.of(
                "SECRET",
                s ->
                    (s.equals > 0 || s.colons > 0) && s.hasAnyIgnoreCase(SecretAssignment.KEYWORDS),
                SecretAssignment.REGEX,
                SecretAssignment.VALUE,
                SecretAssignment::acceptedEnd)
            .anchored("PpSsTtAaCc", "", StartChecks::secretKeyword),
        Recognizer.of(
                "EMAIL",
                s -> s.at > 0 && s.dots > 0,
                "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}+@"
                    + "[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}+\\.){1,8}+[A-Za-z]{2,24}+(?![A-Za-z0-9-])")
            .anchored("A-Za-z0-9._%+-", "A-Za-z0-9._%+-", StartChecks::emailLocalPart),
        Recognizer.of(
                "EMAIL", // user@host, or an address cut short (a 15-byte comm: alice.smith@exa)
                s -> s.at > 0,
                "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}+@[A-Za-z][A-Za-z0-9.-]{0,253}+"
                    + "(?![A-Za-z0-9@-])")
            .anchored("A-Za-z0-9._%+-", "A-Za-z0-9._%+-", StartChecks::emailLocalPart),
        Recognizer.of(
                "IBAN",
                s -> s.upper >= 2 && s.digits >= 10,
                "(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}+(?: ?[A-Z0-9]{1,4})?+"
                    + "(?![A-Za-z0-9])",
                0,
                Recognizers::ibanEnd)
            .anchored("A-Z", "A-Za-z0-9", StartChecks::iban),
        Recognizer.of(
                "CARD",
                s -> s.digits >= 13,
                "(?<![0-9A-Za-z.-])(?:[0-9][ -]?){12,18}[0-9](?![0-9A-Za-z-]|\\.[0-9])",
                0,
                Validator.of(Recognizers::creditCard))
            .anchored("0-9", "0-9A-Za-z.-", StartChecks::card),
        Recognizer.of(
                "SSN",
                s -> s.digits >= 9 && (s.dashes >= 2 || s.hasIgnoreCase("ssn")),
                "(?<![0-9-])(?!000|666|9[0-9]{2})[0-9]{3}-(?!00)[0-9]{2}-(?!0000)[0-9]{4}(?![0-9-])"
                    + "|(?i)(?<=ssn[:# =]{1,3})[0-9]{9}(?![0-9])")
            .anchored("0-9", "0-9-", StartChecks::ssn),
        Recognizer.of("IPV6", s -> s.colons >= 2, Ipv6.REGEX, 1, Validator.ANY)
            .anchored("0-9A-Fa-f:", "0-9A-Za-z:_.", StartChecks::ipv6),
        Recognizer.of(
                "MAC",
                s -> s.colons >= 5 || s.dashes >= 5 || s.dots >= 2,
                "(?<![0-9A-Za-z:.-])(?:[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\\1){4}[0-9A-Fa-f]{2}"
                    + "|[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4})(?![0-9A-Za-z-]|[:.][0-9A-Za-z])")
            .anchored("0-9A-Fa-f", "0-9A-Za-z:.-", StartChecks::mac),
        Recognizer.of(
                "IPV4",
                s -> s.dots >= 3 && s.digits >= 4,
                "(?<![0-9A-Za-z.])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
                    + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?![0-9A-Za-z]|\\.[0-9])")
            .anchored("0-9", "0-9A-Za-z.", StartChecks::ipv4),
        Recognizer.of(
                "PHONE",
                s -> s.digits >= 7,
                "(?<![0-9A-Za-z+.-])(?:\\+[1-9][0-9]{0,3}(?:[ .-]?\\(?[0-9]{1,4}\\)?){1,2}"
                    + "(?:[ .-]?[0-9]{2,4}){1,4}"
                    + "|\\(?[2-9][0-9]{2}\\)?[ .-][0-9]{3}[ .-][0-9]{4}"
                    + "|\\([2-9][0-9]{2}\\)[0-9]{3}-[0-9]{4}"
                    + "|0[1-9][0-9]{1,4}[ /-][0-9]{3,4}[ -]?[0-9]{3,4})"
                    + "(?![0-9A-Za-z]|[.-][0-9])",
                0,
                Validator.of(Recognizers::phoneDigits))
            .anchored("0-9+(", "0-9A-Za-z+.-", StartChecks::phone),
        Recognizer.of(
            "USER",
            s -> s.hasAny("/home/", "/Users/", "\\Users\\", "/var/home/"),
            "(?:/home/|/Users/|\\\\Users\\\\)([^/\\\\\\s:'\"<>]{1,64}+)",
            1,
            Validator.of(user -> !user.startsWith("<"))),
        Recognizer.of(
                "SECRET",
                s -> (s.equals > 0 || s.colons > 0) && s.longestTokenRun >= 20,
                "(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_.-]{0,63}+[\"']?[ ]{0,3}+[=:][ ]{0,3}+[\"']?"
                    + "([A-Za-z0-9+/_-]{20,512}+)(?![A-Za-z0-9+/_.-])",
                1,
                Validator.of(Recognizers::highEntropy))
            .anchored("A-Za-z_", "A-Za-z0-9_", StartChecks::keyAssignment),
        // A tracefix key as KeyStore writes it: 32 random bytes as 64 hex digits of one case,
        // standing alone at the end of a line (as read from the file, also as an escaped "\n").
        // A container id is the same 64 hex digits: one kept as a field of its own has no line
        // end and stays; in a path, after "sha256:" or "=", or beside more token characters, too.
        Recognizer.of(
                "KEY_MATERIAL",
                s -> s.longestTokenRun >= 64 && s.digits >= 8,
                "(?<![A-Za-z0-9_+/=:.-])(?:[0-9a-f]{64}|[0-9A-F]{64})(?![A-Za-z0-9_+/=:.-])",
                0,
                (m, g, text) -> {
                  int end = m.end(g);
                  boolean lineEnd =
                      end < text.length()
                          && (text.charAt(end) == '\n'
                              || text.charAt(end) == '\r'
                              || (text.charAt(end) == '\\'
                                  && end + 1 < text.length()
                                  && (text.charAt(end + 1) == 'n' || text.charAt(end + 1) == 'r')));
                  boolean letters = m.group(g).chars().anyMatch(Character::isLetter);
                  return lineEnd && letters ? end : -1;
                })
            .anchored("0-9A-Fa-f", "A-Za-z0-9_+/=:.-"));
  }

  /**
   * {@code Bearer_<token>} is how a header reads once made a file, process or cgroup name; an
   * identifier such as {@code bearer_authentication} is not one, so that form needs a long value
   * with letters and digits.
   */
  private static int authEnd(MatchResult m, int group, CharSequence text) {
    if ("_".equals(m.group(1))) {
      String value = m.group(group);
      boolean letter = value.chars().anyMatch(Character::isLetter);
      boolean digit = value.chars().anyMatch(Character::isDigit);
      if (value.length() < 16 || !letter || !digit) {
        return -1;
      }
    }
    return m.end(group);
  }

  private static boolean highEntropy(String value) {
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    // Mixed case and digits: base64-ish random. Lower-case hex (commit ids, build ids) is not.
    boolean path = value.startsWith("/") || value.startsWith("./") || value.contains("//");
    return upper && lower && digit && !path && Checksums.entropy(value) >= 3.5;
  }

  private static int ibanEnd(MatchResult m, int group, CharSequence text) {
    String matched = m.group(group);
    // The greedy match may have swallowed a following word; drop trailing groups until valid.
    for (int end = matched.length(); end >= 15; end--) {
      if (end < matched.length() && matched.charAt(end) != ' ') {
        continue;
      }
      String head = matched.substring(0, end).strip();
      if (Checksums.ibanMod97(head.replace(" ", ""))) {
        return m.start(group) + head.length();
      }
    }
    return -1;
  }

  private static boolean creditCard(String s) {
    StringBuilder compact = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '-') {
        compact.append(c);
      }
    }
    String digits = compact.toString();
    int n = digits.length();
    if (n < 13 || n > 19 || !Checksums.luhn(digits)) {
      return false;
    }
    int two = Integer.parseInt(digits.substring(0, 2));
    int four = Integer.parseInt(digits.substring(0, 4));
    return digits.charAt(0) == '4' // Visa
        || (two >= 51 && two <= 55)
        || (four >= 2221 && four <= 2720) // Mastercard
        || two == 34
        || two == 37 // Amex
        || four == 6011
        || two == 65
        || (four >= 6440 && four <= 6499) // Discover
        || two == 35 // JCB
        || two == 36
        || two == 38
        || (four >= 3000 && four <= 3059) // Diners
        || two == 62; // UnionPay
  }

  private static boolean phoneDigits(String s) {
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        digits++;
      }
    }
    return digits >= 7 && digits <= 15;
  }

  /** {@code $VAR}, {@code ${VAR}}, {@code $(cmd ...)}: a reference to a secret, not one. */
  private static final java.util.regex.Pattern VARIABLE_REFERENCE =
      java.util.regex.Pattern.compile(
          "\\$(?:\\{[A-Za-z_][A-Za-z0-9_]*}|[A-Za-z_][A-Za-z0-9_]*|\\(.*)?");

  /** Tokens and hashes tracefix itself made ({@code p_…}, {@code a_…}): keyed already. */
  private static final java.util.regex.Pattern TRACEFIX_TOKEN =
      java.util.regex.Pattern.compile("[paek]_[0-9a-f]{8,64}");

  static boolean notASecret(String value) {
    String v = value.toLowerCase(java.util.Locale.ROOT);
    return NOT_A_SECRET.contains(v)
        || VARIABLE_REFERENCE.matcher(value).matches()
        || TRACEFIX_TOKEN.matcher(value).matches()
        || v.startsWith("<")
        || FORMAT_PLACEHOLDER.matcher(v).matches()
        || v.chars().allMatch(c -> c == '*' || c == 'x' || c == '.');
  }
}

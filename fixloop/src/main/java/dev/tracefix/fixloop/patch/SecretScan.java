package dev.tracefix.fixloop.patch;

import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.Tokenizer;
import dev.tracefix.capture.privacy.recognize.Recognizer;
import dev.tracefix.capture.privacy.recognize.Recognizers;
import dev.tracefix.capture.privacy.recognize.TextScanner;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets in drafted patches and in what the loop reports, found by capture's own recognizers (the
 * ones that redact events at the source), restricted to the secret kinds: keys, tokens,
 * credentials, private key blocks, {@code password=...} assignments. Personal data (an e-mail in a
 * comment, an address) is not a reason to refuse a patch.
 */
public final class SecretScan {
  /** Capture's recognizer types that are secrets. */
  public static final Set<String> SECRET_TYPES =
      Set.of(
          "PRIVATE_KEY",
          "JWT",
          "URL_CREDENTIALS",
          "AUTH",
          "AWS_KEY_ID",
          "AWS_SECRET",
          "GITHUB_TOKEN",
          "SLACK_TOKEN",
          "GOOGLE_API_KEY",
          "STRIPE_KEY",
          "SECRET_PREFIX",
          "SECRET",
          "KEY_MATERIAL");

  private static final List<Recognizer> SECRETS =
      Recognizers.defaults().stream().filter(r -> SECRET_TYPES.contains(r.type())).toList();
  private static final TextScanner SCANNER = new TextScanner(SECRETS);

  /** Placeholders in this process's reports: keyed by a key that lives and dies with it. */
  private static final TextRedactor REDACTOR =
      new TextRedactor(new Tokenizer(ephemeralKey()), SECRETS);

  private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@");

  /** A secret on an added line: its recognizer type, file and line number in the new file. */
  public record Finding(String type, String file, int line) {
    @Override
    public String toString() {
      return type + " at " + file + ":" + line;
    }
  }

  private SecretScan() {}

  /** Scans the {@code +} lines of a unified diff. */
  public static List<Finding> addedSecrets(String unifiedDiff) {
    List<Finding> findings = new ArrayList<>();
    String file = "?";
    int newLine = 0;
    for (String line : unifiedDiff.split("\n", -1)) {
      if (line.startsWith("+++ ")) {
        file = line.startsWith("+++ b/") ? line.substring(6) : line.substring(4);
      } else if (line.startsWith("@@")) {
        Matcher m = HUNK.matcher(line);
        newLine = m.find() ? Integer.parseInt(m.group(1)) : 0;
      } else if (line.startsWith("+")) {
        for (dev.tracefix.capture.privacy.recognize.Finding f :
            SCANNER.scan(line.substring(1) + "\n")) {
          findings.add(new Finding(f.type(), file, newLine));
        }
        newLine++;
      } else if (!line.startsWith("-") && !line.startsWith("\\")) {
        newLine++;
      }
    }
    return findings;
  }

  /** What the recognizers find in free text. */
  public static List<Finding> findings(String text) {
    List<Finding> out = new ArrayList<>();
    for (dev.tracefix.capture.privacy.recognize.Finding f : SCANNER.scan(text)) {
      out.add(new Finding(f.type(), "", 0));
    }
    return out;
  }

  /**
   * Free text (repro output, logs, PR text) with every recognized secret replaced by a placeholder.
   */
  public static String redact(String text) {
    return REDACTOR.redact(text);
  }

  private static HmacKey ephemeralKey() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new HmacKey("ephemeral", secret);
  }
}

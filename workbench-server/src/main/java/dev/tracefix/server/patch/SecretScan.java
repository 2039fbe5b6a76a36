package dev.tracefix.server.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes secrets in a drafted diff: a patch that adds one is refused. A small, conservative
 * set: AWS access key ids, PEM private key blocks, and password/secret assignments with a literal
 * value.
 */
public final class SecretScan {
  public enum Recognizer {
    AWS_ACCESS_KEY("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),
    PRIVATE_KEY_BLOCK("-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"),
    PASSWORD_ASSIGNMENT(
        "(?i)\\b(?:password|passwd|pwd|secret|api_?key)\\b\\s*[:=]\\s*[\"']?[^\\s\"';,]{4,}");

    final Pattern pattern;

    Recognizer(String regex) {
      this.pattern = Pattern.compile(regex);
    }
  }

  /** A secret on an added line: which recognizer, which file, the line number in the new file. */
  public record Finding(Recognizer recognizer, String file, int line) {
    @Override
    public String toString() {
      return recognizer.name().toLowerCase(java.util.Locale.ROOT) + " at " + file + ":" + line;
    }
  }

  private SecretScan() {}

  /** Scans the {@code +} lines of a unified diff. */
  public static List<Finding> addedSecrets(String unifiedDiff) {
    List<Finding> findings = new ArrayList<>();
    String file = "?";
    int newLine = 0;
    Pattern hunk = Pattern.compile("^@@ -\\d+(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@");
    for (String line : unifiedDiff.split("\n", -1)) {
      if (line.startsWith("+++ ")) {
        file = line.startsWith("+++ b/") ? line.substring(6) : line.substring(4);
      } else if (line.startsWith("@@")) {
        Matcher m = hunk.matcher(line);
        newLine = m.find() ? Integer.parseInt(m.group(1)) : 0;
      } else if (line.startsWith("+")) {
        for (Recognizer r : Recognizer.values()) {
          if (r.pattern.matcher(line).find()) {
            findings.add(new Finding(r, file, newLine));
          }
        }
        newLine++;
      } else if (!line.startsWith("-")) {
        newLine++;
      }
    }
    return findings;
  }

  /** Replaces every recognized secret in free text (e.g. repro output) with a marker. */
  public static String redact(String text) {
    String out = text;
    for (Recognizer r : Recognizer.values()) {
      out = r.pattern.matcher(out).replaceAll("[redacted " + r.name().toLowerCase(java.util.Locale.ROOT) + "]");
    }
    return out;
  }
}

package dev.tracefix.capture.privacy.recognize;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Generated sensitive values of every recognizer type, each planted in a line of ordinary text.
 * Seeded, so a failure reproduces. {@code secret} is the part that must not survive redaction.
 */
public final class SeededCorpus {
  public record Planted(String type, String secret, String line) {}

  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String UPPER_NUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String B64 = ALNUM + "+/";
  private static final String[] CONTEXTS = {
    "%s",
    "user %s logged in",
    "argv: /usr/local/bin/tool --target %s --verbose",
    "{\"field\": \"%s\", \"n\": 3}",
    "error: cannot reach %s: connection refused",
    "cwd=/tmp/work/%s/out",
    "WARN [main] value '%s' rejected",
    "<td>%s</td>",
    "x=%s;y=2",
  };
  private static final String[] WORDS = {
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
  };

  private final Random random;
  private final boolean fullUserNames;

  public SeededCorpus(long seed) {
    this(seed, false);
  }

  /**
   * With {@code fullUserNames}, user names are always {@code first.last}, so no planted value is
   * short enough to turn up by chance in compressed or binary bytes (the end-to-end leak scan).
   */
  public SeededCorpus(long seed, boolean fullUserNames) {
    this.random = new Random(seed);
    this.fullUserNames = fullUserNames;
  }

  /** {@code perType} values of each type. */
  public List<Planted> generate(int perType) {
    List<Planted> out = new ArrayList<>();
    for (int i = 0; i < perType; i++) {
      plain(out, "EMAIL", this::email);
      plain(
          out,
          "IPV4",
          r ->
              r.nextInt(223)
                  + 1
                  + "."
                  + r.nextInt(256)
                  + "."
                  + r.nextInt(256)
                  + "."
                  + (r.nextInt(254) + 1));
      plain(out, "IPV6", this::ipv6);
      plain(out, "MAC", this::mac);
      plain(out, "CARD", this::card);
      plain(out, "IBAN", this::iban);
      plain(
          out,
          "SSN",
          r ->
              String.format(
                  "%03d-%02d-%04d", 1 + r.nextInt(665), 1 + r.nextInt(99), 1 + r.nextInt(9999)));
      plain(out, "PHONE", this::phone);
      plain(out, "JWT", this::jwt);
      plain(out, "AWS_KEY_ID", r -> "AKIA" + chars(UPPER_NUM, 16));
      plain(
          out,
          "GITHUB_TOKEN",
          r ->
              r.nextBoolean()
                  ? "ghp_" + chars(ALNUM, 36)
                  : "github_pat_" + chars(ALNUM, 22) + "_" + chars(ALNUM, 59));
      plain(
          out,
          "SLACK_TOKEN",
          r -> "xoxb-" + digits(12) + "-" + digits(13) + "-" + chars(ALNUM, 24));
      plain(out, "GOOGLE_API_KEY", r -> "AIza" + chars(ALNUM + "_-", 35));
      plain(out, "STRIPE_KEY", r -> (r.nextBoolean() ? "sk_live_" : "rk_test_") + chars(ALNUM, 24));
      String awsSecret = chars(B64, 40);
      out.add(
          new Planted(
              "AWS_SECRET",
              awsSecret,
              pick(
                  "aws_secret_access_key = " + awsSecret,
                  "export AWS_SECRET_ACCESS_KEY=" + awsSecret,
                  "{\"AwsSecretKey\": \"" + awsSecret + "\"}")));
      String pem = pem();
      out.add(new Planted("PRIVATE_KEY", pem, "config loaded:\n" + pem + "\ndone"));
      String bearer = chars(ALNUM + "-._~", 32 + random.nextInt(20));
      String basic =
          Base64.getEncoder()
              .encodeToString((word() + ":" + chars(ALNUM, 12)).getBytes(StandardCharsets.UTF_8));
      out.add(
          random.nextBoolean()
              ? new Planted(
                  "AUTH", bearer, "curl -H 'Authorization: Bearer " + bearer + "' https://api")
              : new Planted("AUTH", basic, "> Authorization: Basic " + basic));
      String userPass = word() + ":" + chars(ALNUM, 10);
      out.add(
          new Planted(
              "URL_CREDENTIALS",
              userPass,
              pick("postgres://", "https://", "redis://") + userPass + "@db.internal:5432/app"));
      String secret = chars(ALNUM + "!#$%", 8 + random.nextInt(16));
      out.add(
          new Planted(
              "SECRET",
              secret,
              pick(
                  "--password=" + secret,
                  "DB_PASSWORD=" + secret,
                  "https://x.io/cb?token=" + secret + "&a=1",
                  "{\"api_key\": \"" + secret + "\"}",
                  "secret: " + secret,
                  "client_secret='" + secret + "'",
                  "String password = \"" + secret + "\";")));
      String entropic = mixedEntropy();
      out.add(
          new Planted(
              "SECRET",
              entropic,
              pick(
                  "SIGNING_SEED=" + entropic,
                  "X-Request-Signature: " + entropic,
                  "env HMAC_SALT=" + entropic + " ./run")));
      String user = word() + (fullUserNames || !random.nextBoolean() ? "." + word() : "");
      out.add(
          new Planted(
              "USER",
              user,
              pick(
                  "/home/" + user + "/src/app/Main.java",
                  "open /Users/" + user + "/Library/prefs: denied",
                  "cd /home/" + user)));
      String key = chars("0123456789abcdef", 64);
      out.add(
          new Planted(
              "KEY_MATERIAL",
              key,
              pick(
                  "cat ~/.tracefix/keys/current.key\n" + key + "\n$ exit",
                  key + "\n(from current.key)",
                  "{\"content\": \"" + key + "\\n\"}")));
      // A vendor token cut short, as a 15-byte comm or a truncated log line keeps it.
      plain(
          out,
          "SECRET_PREFIX",
          r ->
              pick("eyJhbGciOi", "ghp_", "xoxb-", "sk_live_", "AKIA")
                  + chars(UPPER_NUM, 4 + r.nextInt(6)));
    }
    return out;
  }

  private void plain(List<Planted> out, String type, Function<Random, String> value) {
    String v = value.apply(random);
    out.add(new Planted(type, v, CONTEXTS[random.nextInt(CONTEXTS.length)].formatted(v)));
  }

  private String email(Random r) {
    String local =
        word() + pick(".", "_", "+", "") + (r.nextBoolean() ? word() : "" + r.nextInt(99));
    return local + "@" + pick("example.com", "mail.example.org", "corp.example.co.uk", "ex.io");
  }

  private String ipv6(Random r) {
    String[] g = new String[8];
    for (int i = 0; i < 8; i++) {
      g[i] = Integer.toHexString(r.nextInt(65536));
    }
    return switch (r.nextInt(4)) {
      case 0 -> String.join(":", g);
      case 1 -> "2001:db8::" + g[6] + ":" + g[7];
      case 2 -> "fe80::" + g[4] + ":" + g[5] + ":" + g[6] + ":" + g[7];
      default -> g[0] + ":" + g[1] + "::" + g[7];
    };
  }

  private String mac(Random r) {
    StringBuilder b = new StringBuilder();
    String sep = pick(":", "-");
    for (int i = 0; i < 6; i++) {
      b.append(i == 0 ? "" : sep).append(String.format("%02x", r.nextInt(256)));
    }
    return r.nextInt(5) == 0 ? b.toString().toUpperCase() : b.toString();
  }

  private String card(Random r) {
    String prefix = pick("4", "51", "55", "2221", "34", "37", "6011", "35");
    int length = prefix.startsWith("3") && prefix.length() == 2 && !prefix.equals("35") ? 15 : 16;
    StringBuilder d = new StringBuilder(prefix);
    while (d.length() < length - 1) {
      d.append(r.nextInt(10));
    }
    for (int check = 0; check < 10; check++) {
      if (Checksums.luhn(d.toString() + check)) {
        d.append(check);
        break;
      }
    }
    String digits = d.toString();
    return switch (r.nextInt(3)) {
      case 0 -> digits;
      case 1 -> digits.replaceAll("(\\d{4})(?=\\d)", "$1 ");
      default -> digits.replaceAll("(\\d{4})(?=\\d)", "$1-");
    };
  }

  private String iban(Random r) {
    String country = pick("DE", "GB", "FR", "NL", "ES");
    String bban =
        switch (country) {
          case "DE" -> digits(18);
          case "GB" -> chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4) + digits(14);
          case "FR" -> digits(10) + chars(UPPER_NUM, 11) + digits(2);
          case "NL" -> chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4) + digits(10);
          default -> digits(20);
        };
    StringBuilder numeric = new StringBuilder();
    for (char c : (bban + country + "00").toCharArray()) {
      numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    int check = 98 - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
    String iban = country + String.format("%02d", check) + bban;
    return r.nextBoolean() ? iban : iban.replaceAll("(.{4})(?=.)", "$1 ");
  }

  private String phone(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> "+" + (1 + r.nextInt(9)) + digits(9 + r.nextInt(3));
      case 1 -> "+44 20 " + digits(4) + " " + digits(4);
      case 2 -> "(" + (2 + r.nextInt(8)) + digits(2) + ") " + digits(3) + "-" + digits(4);
      case 3 -> (2 + r.nextInt(8)) + digits(2) + "-" + digits(3) + "-" + digits(4);
      case 4 -> "030 " + digits(4) + " " + digits(4);
      default -> "+1-" + (2 + r.nextInt(8)) + digits(2) + "-" + digits(3) + "-" + digits(4);
    };
  }

  private String jwt(Random r) {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header = url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes());
    String payload =
        url.encodeToString(
            ("{\"sub\":\""
                    + word()
                    + r.nextInt(1000)
                    + "\",\"iat\":"
                    + (1_700_000_000 + r.nextInt(1_000_000))
                    + "}")
                .getBytes());
    byte[] sig = new byte[32];
    r.nextBytes(sig);
    return header + "." + payload + "." + url.encodeToString(sig);
  }

  private String pem() {
    StringBuilder b =
        new StringBuilder(
            "-----BEGIN " + pick("RSA ", "EC ", "", "OPENSSH ") + "PRIVATE KEY-----\n");
    String kind = b.substring(11, b.indexOf("PRIVATE"));
    for (int i = 0; i < 4; i++) {
      b.append(chars(B64, 64)).append('\n');
    }
    return b.append("-----END ").append(kind).append("PRIVATE KEY-----").toString();
  }

  private String mixedEntropy() {
    while (true) {
      String s = chars(ALNUM, 32);
      if (s.matches(".*[A-Z].*") && s.matches(".*[a-z].*") && s.matches(".*[0-9].*")) {
        return s;
      }
    }
  }

  private String word() {
    return WORDS[random.nextInt(WORDS.length)];
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  private String digits(int n) {
    return chars("0123456789", n);
  }

  private String chars(String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}

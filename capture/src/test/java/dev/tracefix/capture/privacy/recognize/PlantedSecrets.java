package dev.tracefix.capture.privacy.recognize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A fixed handful of secrets for leak tests of what tracefix writes (exports, reports): each with
 * the forms a leak can take. A value is searched for raw, in its path-safe form (every character
 * outside {@code [A-Za-z0-9@._:+-]} replaced by {@code _}, as a folder or process name would hold
 * it), and as its first 15 bytes (what the kernel keeps of a process name) where the recognizers
 * catch that prefix.
 *
 * @param type the recognizer type expected to replace it
 * @param value the text planted
 * @param secret the part that must not survive (the value itself, or what follows its key)
 * @param prefixCaught whether the recognizers catch {@code value}'s 15-byte prefix on its own
 */
public record PlantedSecrets(String type, String value, String secret, boolean prefixCaught) {
  public static final String JWT =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJsZWFrLXRlc3QtOTEyNyJ9"
          + ".Qk3vT8xW2mYp7LsR4nZb6cHd0fGj1aEu5iKo9wXyNqM";
  public static final String BEARER_SECRET = "Zm9vYmFyLXNlY3JldC10b2tlbi03NzQx";
  public static final String PASSWORD = "hunter2-Staging!";
  public static final String EMAIL = "alice.smith@example.com";
  public static final String CARD = "4111 1111 1111 1111";
  public static final String CARD_DASHED = "5500-0000-0000-0004";
  public static final String AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";

  /**
   * The planted values. A JWT's and an AWS key id's 15-byte prefixes are caught by their vendor
   * prefix ({@code SECRET_PREFIX}). Prefixes free text cannot tell from ordinary text, so not
   * checked here: a card number's (13 digits at least, Luhn; as a process name the identity rule
   * catches it as a long number) and {@code Bearer_<8 chars>} (the underscore form needs 16
   * characters, to spare identifiers like {@code bearer_authentication}).
   */
  public static List<PlantedSecrets> all() {
    return List.of(
        new PlantedSecrets("JWT", JWT, JWT, true),
        new PlantedSecrets("JWT", "Bearer_" + JWT, JWT, true),
        new PlantedSecrets("AUTH", "Bearer " + BEARER_SECRET, BEARER_SECRET, true),
        new PlantedSecrets("AUTH", "Bearer_" + BEARER_SECRET, BEARER_SECRET, false),
        new PlantedSecrets("SECRET", "password=" + PASSWORD, PASSWORD, true),
        new PlantedSecrets("EMAIL", EMAIL, EMAIL, true),
        new PlantedSecrets("CARD", CARD, CARD, false),
        new PlantedSecrets("CARD", CARD_DASHED, CARD_DASHED, false),
        new PlantedSecrets("AWS_KEY_ID", AWS_KEY_ID, AWS_KEY_ID, true));
  }

  /** {@code text} with every character outside {@code [A-Za-z0-9@._:+-]} replaced by {@code _}. */
  public static String pathSafe(String text) {
    return text.replaceAll("[^A-Za-z0-9@._:+-]", "_");
  }

  /** The first 15 bytes of {@code text} (UTF-8), as the kernel keeps a process name. */
  public static String prefix15(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new String(bytes, 0, Math.min(15, bytes.length), StandardCharsets.UTF_8);
  }

  /** Every form of this value that must not appear: raw secret, path-safe forms, caught prefix. */
  public Set<String> forms() {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(secret);
    forms.add(pathSafe(secret));
    forms.add(pathSafe(value));
    if (prefixCaught) {
      forms.add(prefix15(value));
    }
    return forms;
  }

  /** The forms of any planted value found in {@code text}, e.g. {@code "AUTH path-safe: ..."}. */
  public static List<String> foundIn(String text) {
    List<String> found = new ArrayList<>();
    for (PlantedSecrets p : all()) {
      for (String form : p.forms()) {
        if (text.contains(form)) {
          found.add(p.type() + " " + form);
        }
      }
    }
    return found;
  }

  /** The distinct forms searched for, over all values. */
  public static int formCount() {
    Set<String> all = new LinkedHashSet<>();
    all().forEach(p -> all.addAll(p.forms()));
    return all.size();
  }
}

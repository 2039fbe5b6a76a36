package dev.tracefix.capture.privacy.recognize;

import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * One kind of sensitive text: a cheap prefilter on the line's {@link TextStats}, a regex whose
 * group {@code group} is the sensitive part, and a validator (check digits, entropy, context) that
 * may reject or shorten a match. Matches become {@code <TYPE:token>}.
 *
 * @param type placeholder type, e.g. {@code EMAIL}
 * @param multiline true if a match may span lines (scanned over the whole text, not per line; its
 *     prefilter may only use the literal checks of {@link TextStats})
 * @param anchor where a match can start, or null to let the regex try every position
 */
public record Recognizer(
    String type,
    Predicate<TextStats> prefilter,
    Pattern pattern,
    int group,
    Validator validator,
    boolean multiline,
    Anchor anchor) {

  /**
   * Matches start only at a character of {@code start} that does not follow one of {@code notAfter}
   * (the pattern's own lookbehind): the scanner tries the regex only there, which is far cheaper
   * than letting the regex engine try every position of every line.
   */
  public record Anchor(boolean[] start, boolean[] notAfter, StartCheck check) {
    public Anchor(boolean[] start, boolean[] notAfter) {
      this(start, notAfter, StartCheck.ANY);
    }

    public static Anchor of(String startChars, String notAfterChars) {
      return of(startChars, notAfterChars, StartCheck.ANY);
    }

    public static Anchor of(String startChars, String notAfterChars, StartCheck check) {
      return new Anchor(table(startChars), table(notAfterChars), check);
    }

    /** Whether a match may start at {@code i} of a line ending at {@code end}. */
    boolean canStartAt(CharSequence text, int i, int end) {
      char c = text.charAt(i);
      if (c >= 128 || !start[c]) {
        return false;
      }
      if (i > 0) {
        char prev = text.charAt(i - 1);
        if (prev < 128 && notAfter[prev]) {
          return false;
        }
      }
      return check.mayStartAt(text, i, end);
    }

    /** Character set from ranges like {@code "A-Za-z0-9_."} (a trailing '-' is literal). */
    private static boolean[] table(String chars) {
      boolean[] t = new boolean[128];
      for (int i = 0; i < chars.length(); i++) {
        char c = chars.charAt(i);
        if (i + 2 < chars.length() && chars.charAt(i + 1) == '-') {
          for (char x = c; x <= chars.charAt(i + 2); x++) {
            t[x] = true;
          }
          i += 2;
        } else {
          t[c] = true;
        }
      }
      return t;
    }
  }

  /** This recognizer, tried only where {@code anchor} allows a match to start. */
  public Recognizer anchored(String startChars, String notAfterChars) {
    return anchored(startChars, notAfterChars, StartCheck.ANY);
  }

  /** Also tried only where {@code check} passes (it must accept every position that can match). */
  public Recognizer anchored(String startChars, String notAfterChars, StartCheck check) {
    return new Recognizer(
        type,
        prefilter,
        pattern,
        group,
        validator,
        multiline,
        Anchor.of(startChars, notAfterChars, check));
  }

  /**
   * A cheap look at the first characters at {@code i}, before the regex runs there. It must be a
   * necessary condition of the pattern matching within {@code [i, end)}: it may only reject
   * positions where the regex would fail, so it changes speed, never findings.
   */
  @FunctionalInterface
  public interface StartCheck {
    boolean mayStartAt(CharSequence text, int i, int end);

    StartCheck ANY = (text, i, end) -> true;
  }

  /** Decides whether a regex match is real; may shorten it. */
  @FunctionalInterface
  public interface Validator {
    /** End (exclusive) of the accepted sensitive part, or -1 to reject the match. */
    int acceptedEnd(MatchResult match, int group, CharSequence text);

    Validator ANY = (m, g, text) -> m.end(g);

    static Validator of(Predicate<String> test) {
      return (m, g, text) -> test.test(m.group(g)) ? m.end(g) : -1;
    }
  }

  public static Recognizer of(
      String type, Predicate<TextStats> prefilter, String regex, int group, Validator validator) {
    return new Recognizer(type, prefilter, Pattern.compile(regex), group, validator, false, null);
  }

  public static Recognizer of(String type, Predicate<TextStats> prefilter, String regex) {
    return of(type, prefilter, regex, 0, Validator.ANY);
  }
}

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
 * @param multiline true if a match may span lines (scanned over the whole text, not per line)
 */
public record Recognizer(
    String type,
    Predicate<TextStats> prefilter,
    Pattern pattern,
    int group,
    Validator validator,
    boolean multiline) {

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
    return new Recognizer(type, prefilter, Pattern.compile(regex), group, validator, false);
  }

  public static Recognizer of(String type, Predicate<TextStats> prefilter, String regex) {
    return of(type, prefilter, regex, 0, Validator.ANY);
  }
}

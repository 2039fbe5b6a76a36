package dev.tracefix.capture.privacy.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a word of a process, thread or host name is a person's name. The kernel's comm, a thread
 * name or a cgroup directory is whatever a program or its operator chose: a link named after its
 * user, a thread renamed to a customer's name. Without a language model the best test that runs per
 * value is a list of common given and family names; a word made of two of them ({@code
 * alicejohnson}) or a name and digits ({@code alice42}) counts too. Program names that are also
 * given names ({@code ruby}, {@code cassandra}) are exempt.
 */
final class PersonNames {
  private static final int SHORTEST = 3;

  private final Set<String> names;
  private final Set<String> programWords;

  private PersonNames(Set<String> names, Set<String> programWords) {
    this.names = names;
    this.programWords = programWords;
  }

  static PersonNames bundled() {
    Set<String> names = new HashSet<>(words("given-names.txt"));
    names.addAll(words("surnames.txt"));
    return new PersonNames(Set.copyOf(names), words("program-words.txt"));
  }

  /** True if {@code word} (any case) is, or is made of, person names. */
  boolean isName(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    if (w.length() < SHORTEST || programWords.contains(w)) {
      return false;
    }
    if (names.contains(w)) {
      return true;
    }
    int letters = 0;
    while (letters < w.length() && Character.isLetter(w.charAt(letters))) {
      letters++;
    }
    if (letters < w.length()) {
      // alice42: a name followed by digits only
      return letters >= 4 && allDigits(w, letters) && names.contains(w.substring(0, letters));
    }
    for (int cut = SHORTEST; cut <= w.length() - SHORTEST; cut++) {
      if (names.contains(w.substring(0, cut)) && names.contains(w.substring(cut))) {
        return true;
      }
    }
    return false;
  }

  private static boolean allDigits(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> words(String resource) {
    try (InputStream in = PersonNames.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("identity word list " + resource + " is not in the jar");
      }
      Set<String> out = new HashSet<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#")) {
          for (String word : line.strip().split("\\s+")) {
            if (!word.isEmpty()) {
              out.add(word);
            }
          }
        }
      }
      return Set.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read identity word list " + resource, e);
    }
  }
}

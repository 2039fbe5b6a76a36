package dev.tracefix.capture.privacy.identity;

import dev.tracefix.capture.privacy.keys.Tokenizer;
import dev.tracefix.capture.privacy.recognize.Finding;
import dev.tracefix.capture.privacy.recognize.Recognizers;
import dev.tracefix.capture.privacy.recognize.TextScanner;
import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Names that identify a process and that the traced program or its operator chose: the comm and
 * thread names, executable and link names, cgroup directories, host names, uprobe symbols. Unlike
 * free text, where only the recognized part is replaced, such a name is kept whole or replaced
 * whole: a name that is plain words stays readable ({@code nginx}, {@code GC Thread#0}, {@code
 * kworker/0:1}); one where a recognizer fires, that holds a secret's keyword with a value, a
 * person's name, a long digit run, high-entropy characters or unusual characters becomes a keyed
 * token {@code <TYPE:hex>} (stable under one key, so equal names still group). Thread-safe.
 */
public final class IdentityText {
  public static final int TOKEN_HEX = 8;
  private static final int HOST_TOKEN_HEX = 12;
  private static final int CACHE_LIMIT = 16_384;
  private static final int LONGEST_READABLE = 128;

  /** What a program or thread name is normally made of; anything else is not a plain name. */
  private static final Pattern PLAIN = Pattern.compile("[\\p{L}\\p{N} ._:/@+#()\\[\\],~-]*+");

  /** Our own placeholders and the recognizers' ({@code <EMAIL:3f9a1c2b>}): already safe. */
  private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Z_]{1,32}:[0-9a-f]{6,32}>");

  /** A host name this class already replaced. */
  private static final Pattern HOST_TOKEN = Pattern.compile("host-[0-9a-f]{" + 12 + "}");

  private static final PersonNames PERSON_NAMES = PersonNames.bundled();

  private final Tokenizer tokenizer;
  private final TextScanner scanner;
  private final Map<String, String> cache = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  public IdentityText(Tokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.scanner = new TextScanner(Recognizers.defaults());
  }

  /**
   * Why {@code name} may not be stored as it is (a recognizer type, {@code SECRET_PREFIX}, {@code
   * PERSON}, {@code DIGITS}, {@code HIGH_ENTROPY}, {@code UNUSUAL}), or empty if it is a plain
   * name.
   */
  public Optional<String> finding(String name) {
    if (name == null || name.isEmpty() || PLACEHOLDER.matcher(name).matches()) {
      return Optional.empty();
    }
    List<Finding> findings = scanner.scan(name);
    if (!findings.isEmpty()) {
      return Optional.of(findings.getFirst().type());
    }
    if (SecretKeywords.found(name)) {
      return Optional.of(SecretKeywords.TYPE);
    }
    String folded = fold(name);
    if (name.length() > LONGEST_READABLE || !PLAIN.matcher(folded).matches()) {
      return Optional.of("UNUSUAL");
    }
    for (String word : folded.split("[^\\p{L}\\p{N}]+")) {
      Optional<String> why = wordFinding(word);
      if (why.isPresent()) {
        return why;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> wordFinding(String word) {
    if (word.isEmpty()) {
      return Optional.empty();
    }
    if (PERSON_NAMES.isName(word)) {
      return Optional.of("PERSON");
    }
    for (String part : WordShape.camelParts(word)) {
      if (PERSON_NAMES.isName(part)) {
        return Optional.of("PERSON");
      }
    }
    if (WordShape.isLongNumber(word)) {
      return Optional.of("DIGITS");
    }
    if (WordShape.looksRandom(word)) {
      return Optional.of("HIGH_ENTROPY");
    }
    return Optional.empty();
  }

  /** A process, thread, executable or symbol name: as it is, or whole as a keyed token. */
  public String name(String name) {
    return cached("name", name, this::tokenizeName);
  }

  private String tokenizeName(String name) {
    return finding(name).map(type -> placeholder(type, "name", name)).orElse(name);
  }

  /**
   * A cgroup v2 path with the segments runtimes and systemd name kept ({@code
   * /kubepods.slice/kubepods-burstable.slice/…/cri-containerd-<id>.scope}, {@code
   * /system.slice/nginx.service}) and every other segment a keyed {@code <CGROUP:hex>} token, so
   * the structure still says "same pod" or "same unit" without naming anyone.
   */
  public String cgroupPath(String path) {
    return cached("cgroup", path, this::tokenizeCgroup);
  }

  private String tokenizeCgroup(String path) {
    String[] segments = path.split("/", -1);
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        out.append('/');
      }
      out.append(cgroupSegment(segments[i]));
    }
    return out.toString();
  }

  private String cgroupSegment(String segment) {
    if (segment.isEmpty() || CgroupSegments.isRuntimeName(segment)) {
      return segment;
    }
    String stem = CgroupSegments.unitStem(segment);
    if (stem != null && finding(stem).isEmpty() && finding(segment).isEmpty()) {
      return segment;
    }
    count("CGROUP");
    return "<CGROUP:" + tokenizer.token("identity:cgroup", segment, TOKEN_HEX) + ">";
  }

  /**
   * A host name, for a column and a partition folder ({@code host=}): kept when every label is a
   * plain name, else {@code host-<hex>} (path-safe) under the current key.
   */
  public String hostname(String host) {
    return cached("host", host, this::tokenizeHost);
  }

  private String tokenizeHost(String host) {
    if (HOST_TOKEN.matcher(host).matches()) {
      return host; // exporting an imported export changes nothing
    }
    for (String label : host.split("\\.")) {
      Optional<String> why = finding(label);
      if (why.isPresent()) {
        count(why.get());
        return "host-" + tokenizer.token("identity:host", host, HOST_TOKEN_HEX);
      }
    }
    Optional<String> whole = finding(host);
    if (whole.isEmpty()) {
      return host;
    }
    count(whole.get());
    return "host-" + tokenizer.token("identity:host", host, HOST_TOKEN_HEX);
  }

  /**
   * A probe as a capture lists it, {@code KIND:WHAT} ({@code uprobe:parse_request}): the kind is
   * ours, the rest (a symbol, a path) was typed by a user and passes {@link #name}.
   */
  public String probeSpec(String spec) {
    int colon = spec.indexOf(':');
    if (colon < 0) {
      return name(spec);
    }
    String kind = spec.substring(0, colon);
    return (finding(kind).isEmpty() ? kind : name(kind)) + ":" + name(spec.substring(colon + 1));
  }

  /** Replacements so far per reason, for the privacy attestation. */
  public Map<String, Long> counts() {
    Map<String, Long> snapshot = new TreeMap<>();
    counts.forEach((type, n) -> snapshot.put(type, n.sum()));
    return snapshot;
  }

  private String placeholder(String type, String role, String value) {
    count(type);
    return "<" + type + ":" + tokenizer.token("identity:" + role, value, TOKEN_HEX) + ">";
  }

  private void count(String type) {
    counts.computeIfAbsent(type, t -> new LongAdder()).increment();
  }

  private String cached(String role, String value, java.util.function.UnaryOperator<String> how) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    String key = role + '\0' + value;
    String hit = cache.get(key);
    if (hit != null) {
      return hit;
    }
    String safe = how.apply(value);
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(key, safe);
    return safe;
  }

  /** Accents off ({@code José} → {@code Jose}), so the name lists match. */
  private static String fold(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
  }
}

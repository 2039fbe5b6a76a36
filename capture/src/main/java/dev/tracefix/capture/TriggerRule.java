package dev.tracefix.capture;

import dev.tracefix.capture.CaptureException.Kind;
import dev.tracefix.capture.trigger.ErrnoCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule that turns richer probes on while errors burst: when events failing with one of {@code
 * errnos} arrive faster than {@code perSecond} (over the last second, optionally only from
 * processes in {@code cgroup} or below it), capture takes stacks and/or attaches {@code uprobes}
 * for {@code ttl}, then turns them off again. Each firing is recorded ({@link TriggerFiring}).
 *
 * <p>Written on one line, e.g. {@code ETIMEDOUT,ECONNRESET > 5/s in /system.slice/checkout.service
 * -> stacks,uprobe=/usr/lib/x86_64-linux-gnu/libc.so.6:getaddrinfo for 30s}.
 *
 * @param text the rule as written (recorded with each firing, through the privacy policy)
 * @param errnoNames the errno names, as written (upper case)
 * @param errnos their numbers (Linux x86_64)
 * @param perSecond the rate above which the rule fires
 * @param cgroup only count events of processes in this cgroup v2 path or below it
 * @param stacks take stacks of the capture's stack-capable events while on
 * @param uprobes functions to time while on (attached on firing, detached on expiry)
 * @param ttl how long the richer probes stay on after a firing
 * @param full stream every call while on ({@code full}: the raw_syscalls programs of {@code
 *     --probes full} attached for the TTL, on top of the default mode's aggregates)
 * @param jfr record the attached JVM's flight recorder with a richer configuration while on ({@code
 *     jfr}: every threshold at 0, so short parks, monitor enters and file I/O are kept too; needs
 *     {@code --jfr --pid})
 */
public record TriggerRule(
    String text,
    List<String> errnoNames,
    Set<Integer> errnos,
    double perSecond,
    Optional<String> cgroup,
    boolean stacks,
    List<UprobeTarget> uprobes,
    Duration ttl,
    boolean full,
    boolean jfr) {
  private static final Pattern CONDITION =
      Pattern.compile(
          "\\s*([A-Za-z0-9_,\\s]+?)\\s*>\\s*([0-9]+(?:\\.[0-9]+)?)\\s*/\\s*s(?:\\s+in\\s+(\\S+))?\\s*");
  private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m|h)");
  private static final String SYNTAX =
      "write a trigger as 'ERRNO[,ERRNO...] > RATE/s [in CGROUP] -> ACTION[,ACTION...] for TTL'"
          + " with actions 'stacks', 'full', 'jfr' and 'uprobe=/path/to/binary:symbol', e.g."
          + " 'ETIMEDOUT,ECONNRESET > 5/s -> stacks for 30s'";

  public TriggerRule {
    errnoNames = List.copyOf(errnoNames);
    errnos = Set.copyOf(errnos);
    uprobes = List.copyOf(uprobes);
    if (!stacks && uprobes.isEmpty() && !full && !jfr) {
      throw invalid(text, "it turns nothing on");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw invalid(text, "its TTL must be positive");
    }
    if (!(perSecond > 0)) {
      throw invalid(text, "its rate must be positive");
    }
  }

  /** Parses the one-line form (see the class comment); a malformed rule is a USER error. */
  public static TriggerRule parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid(String.valueOf(text), "it is empty");
    }
    int arrow = text.indexOf("->");
    if (arrow < 0) {
      throw invalid(text, "it has no '->' between the condition and the actions");
    }
    Matcher condition = CONDITION.matcher(text.substring(0, arrow));
    if (!condition.matches()) {
      throw invalid(text, "its condition is not 'ERRNO[,ERRNO...] > RATE/s [in CGROUP]'");
    }
    List<String> names = new ArrayList<>();
    Set<Integer> numbers = new LinkedHashSet<>();
    for (String name : condition.group(1).split(",")) {
      String errno = name.strip().toUpperCase(java.util.Locale.ROOT);
      numbers.add(
          ErrnoCodes.number(errno)
              .orElseThrow(
                  () ->
                      invalid(
                          text,
                          "'"
                              + errno
                              + "' is not an errno tracefix knows; known: "
                              + ErrnoCodes.names())));
      names.add(errno);
    }
    String then = text.substring(arrow + 2);
    int forAt = then.lastIndexOf(" for ");
    if (forAt < 0) {
      throw invalid(text, "it has no 'for TTL' after the actions");
    }
    boolean stacks = false;
    boolean full = false;
    boolean jfr = false;
    List<UprobeTarget> uprobes = new ArrayList<>();
    for (String action : then.substring(0, forAt).split(",")) {
      String a = action.strip();
      if (a.equals("stacks")) {
        stacks = true;
      } else if (a.equals("full")) {
        full = true;
      } else if (a.equals("jfr")) {
        jfr = true;
      } else if (a.startsWith("uprobe=")) {
        uprobes.add(UprobeTarget.parse(a.substring("uprobe=".length())));
      } else {
        throw invalid(
            text, "'" + a + "' is not an action (stacks, full, jfr, uprobe=BINARY:SYMBOL)");
      }
    }
    return new TriggerRule(
        text.strip(),
        names,
        numbers,
        Double.parseDouble(condition.group(2)),
        Optional.ofNullable(condition.group(3)),
        stacks,
        uprobes,
        duration(text, then.substring(forAt + 5).strip()),
        full,
        jfr);
  }

  /** Whether a process in {@code processCgroup} (null if unknown) counts towards this rule. */
  public boolean covers(String processCgroup) {
    if (cgroup.isEmpty()) {
      return true;
    }
    String root = cgroup.get().endsWith("/") ? cgroup.get() : cgroup.get() + "/";
    return processCgroup != null
        && (processCgroup.equals(cgroup.get()) || processCgroup.startsWith(root));
  }

  /**
   * What the rule turns on, as named in a firing: {@code full}, {@code stacks}, {@code jfr}, {@code
   * uprobe:SYMBOL}.
   */
  public List<String> probeNames() {
    List<String> names = new ArrayList<>();
    if (full) {
      names.add("full");
    }
    if (stacks) {
      names.add("stacks");
    }
    if (jfr) {
      names.add("jfr");
    }
    // The symbol only: a binary's path may name a user.
    uprobes.forEach(u -> names.add("uprobe:" + u.symbol()));
    return names;
  }

  private static Duration duration(String text, String ttl) {
    Matcher m = DURATION.matcher(ttl);
    if (!m.matches()) {
      throw invalid(text, "its TTL '" + ttl + "' is not a duration like 500ms, 30s, 5m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static CaptureException invalid(String text, String why) {
    return new CaptureException(Kind.USER, "trigger '" + text + "': " + why + "; " + SYNTAX);
  }
}

package dev.tracefix.capture.jvm;

import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.Redactor;
import dev.tracefix.capture.privacy.keys.Tokenizer;
import dev.tracefix.capture.proc.ProcFs;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * The keyed identities of one recorded JVM: its process token, and per thread the token kernel
 * events of that thread carry. A process token is made of the boot id, pid and start time in clock
 * ticks (see {@link Redactor}); a recording names the pid and the JVM's start instant, which comes
 * some milliseconds after the kernel started the process. So the start ticks are found, in order:
 * from {@code /proc} while the JVM still runs; else as the one tick near the JVM's start whose
 * token the store already knows (a kernel capture of the same process); else estimated, and then
 * the tokens join no kernel rows (said by {@link #exact()}). One reader at a time.
 */
public final class JvmIdentity {
  /** How far before the JVM's start instant the kernel may have started the process. */
  private static final long SEARCH_BEFORE_TICKS = 3 * ProcFs.USER_HZ;

  /** Slack after it: boot time read from /proc/uptime is itself a little off. */
  private static final long SEARCH_AFTER_TICKS = ProcFs.USER_HZ / 2;

  private static final int TOKEN_HEX = 16;

  private final int pid;
  private final long startTicks;
  private final boolean exact;
  private final String bootId;
  private final Redactor redactor;
  private final Tokenizer tokenizer;
  private final String processToken;

  /** Thread tokens by OS thread id: an HMAC per event was a good part of an import's cost. */
  private final Map<Long, String> threadTokens = new HashMap<>();

  private JvmIdentity(int pid, long startTicks, boolean exact, String bootId, HmacKey key) {
    this.pid = pid;
    this.startTicks = startTicks;
    this.exact = exact;
    this.bootId = bootId;
    this.redactor = new Redactor(key, bootId);
    this.tokenizer = new Tokenizer(key);
    this.processToken = redactor.processToken(pid, startTicks);
  }

  /**
   * The identity of JVM {@code pid} started at {@code jvmStart}, with {@code knownProcessToken}
   * telling which process tokens the store already holds.
   */
  public static JvmIdentity resolve(
      int pid, Instant jvmStart, HmacKey key, Predicate<String> knownProcessToken) {
    ProcFs proc = ProcFs.system();
    String bootId = proc.bootId();
    long estimate = ticksSinceBoot(jvmStart);
    OptionalLong running = proc.startTimeTicks(pid);
    if (running.isPresent()
        && running.getAsLong() >= estimate - SEARCH_BEFORE_TICKS
        && running.getAsLong() <= estimate + SEARCH_AFTER_TICKS) {
      return new JvmIdentity(pid, running.getAsLong(), true, bootId, key);
    }
    Redactor redactor = new Redactor(key, bootId);
    for (long t = estimate + SEARCH_AFTER_TICKS; t >= estimate - SEARCH_BEFORE_TICKS; t--) {
      if (t >= 0 && knownProcessToken.test(redactor.processToken(pid, t))) {
        return new JvmIdentity(pid, t, true, bootId, key);
      }
    }
    return new JvmIdentity(pid, Math.max(0, estimate), false, bootId, key);
  }

  /** A process whose start ticks are known (a capture that launched it). */
  public static JvmIdentity of(int pid, long startTicks, HmacKey key) {
    return new JvmIdentity(pid, startTicks, true, ProcFs.system().bootId(), key);
  }

  /**
   * Whether the tokens are those kernel events of this JVM carry (start time known, not guessed).
   */
  public boolean exact() {
    return exact;
  }

  public int pid() {
    return pid;
  }

  public String processToken() {
    return processToken;
  }

  /** The token kernel events of OS thread {@code tid} carry. */
  public String threadToken(long tid) {
    if (tid <= 0) {
      return null;
    }
    return threadTokens.computeIfAbsent(
        tid, t -> redactor.threadToken(pid, startTicks, (int) (long) t));
  }

  /** A keyed token ({@code j_}) of a Java thread id: virtual threads have no OS thread. */
  public String javaThreadToken(long javaThreadId) {
    String identity = "jthread\0" + bootId + "\0" + pid + "\0" + startTicks;
    return "j_" + tokenizer.token(identity, Long.toString(javaThreadId), TOKEN_HEX);
  }

  /**
   * The kernel rows' peer hash of a numeric address and port; null when the address is not an IP
   * literal (no name is ever looked up).
   */
  public String peerHash(String address, int port) {
    if (address == null || address.isBlank()) {
      return null;
    }
    String literal = address.startsWith("/") ? address.substring(1) : address;
    try {
      byte[] bytes = InetAddress.ofLiteral(literal).getAddress();
      return redactor.addressHash(bytes.length == 4 ? 2 : 10, bytes, port);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Clock ticks since boot at {@code instant}, by this boot's wall-clock start. */
  static long ticksSinceBoot(Instant instant) {
    long bootEpochNs = nowEpochNs() - uptimeNs();
    long sinceBootNs = instant.getEpochSecond() * 1_000_000_000L + instant.getNano() - bootEpochNs;
    return Math.floorDiv(sinceBootNs, 1_000_000_000L / ProcFs.USER_HZ);
  }

  private static long nowEpochNs() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static long uptimeNs() {
    try {
      String first = Files.readString(Path.of("/proc/uptime")).strip().split("\\s+")[0];
      return (long) (Double.parseDouble(first) * 1e9);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}

package dev.tracefix.server.http;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Runs before every request, before the token check, and refuses what a browser tab on another site
 * could send (the checks Jupyter Server makes):
 *
 * <ul>
 *   <li>a {@code Host} that is not this machine's loopback name or a configured one: a DNS
 *       rebinding page reaches 127.0.0.1 under its own name, so its requests carry that name;
 *   <li>an {@code Origin} that is not this server: browsers send it on cross-site fetches, form
 *       posts and event streams (a same-origin GET may omit it, which is fine);
 *   <li>a state-changing request authenticated only by the cookie without the XSRF header that only
 *       this server's own pages can read ({@link TokenAuth#xsrfMatches}).
 * </ul>
 */
final class RequestGuard {
  static final String XSRF_HEADER = "X-XSRF-Token";
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final TokenAuth auth;
  private final Set<String> hosts;

  /**
   * @param extraHosts host names besides loopback that may reach this server (lower case)
   */
  RequestGuard(TokenAuth auth, Set<String> extraHosts) {
    this.auth = auth;
    Set<String> all = new HashSet<>(LOOPBACK);
    extraHosts.forEach(h -> all.add(h.toLowerCase(Locale.ROOT)));
    this.hosts = Set.copyOf(all);
  }

  void handle(Context ctx) {
    String host = ctx.header("Host");
    if (host == null || !hosts.contains(hostName(host))) {
      throw new ForbiddenResponse(
          "host '"
              + host
              + "' is not allowed (DNS rebinding guard); reach the workbench as"
              + " 127.0.0.1 or localhost, or start it with --allow-host NAME");
    }
    String origin = ctx.header("Origin");
    if (origin != null && !sameServer(origin, ctx.port())) {
      throw new ForbiddenResponse(
          "cross-origin request from '" + origin + "' refused; use the workbench's own page");
    }
    auth.handle(ctx);
    if (!SAFE_METHODS.contains(ctx.method().name())
        && auth.viaCookie(ctx)
        && !auth.xsrfMatches(ctx.header(XSRF_HEADER))) {
      throw new ForbiddenResponse(
          "missing or wrong "
              + XSRF_HEADER
              + " header: a request that changes state with the"
              + " cookie alone must echo the tracefix_xsrf cookie");
    }
  }

  /** {@code 127.0.0.1:7420} → {@code 127.0.0.1}; {@code [::1]:7420} → {@code [::1]}. */
  static String hostName(String hostHeader) {
    String h = hostHeader.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private boolean sameServer(String origin, int port) {
    try {
      URI uri = URI.create(origin);
      String host = uri.getHost();
      return "http".equals(uri.getScheme())
          && host != null
          && hosts.contains(host.toLowerCase(Locale.ROOT))
          && uri.getPort() == port;
    } catch (IllegalArgumentException e) {
      return false; // "null" (sandboxed frames, file: pages) and junk
    }
  }
}

package dev.tracefix.server.http;

import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The workbench's single shared secret, as in Jupyter: whoever has the URL printed at start may use
 * the API. The token arrives once as {@code ?token=} on the page URL, which sets an HttpOnly
 * cookie; API clients may send {@code Authorization: Bearer <token>} instead.
 */
final class TokenAuth {
  static final String COOKIE = "tracefix_token";

  /** Readable by this server's pages (not HttpOnly); they echo it in {@code X-XSRF-Token}. */
  static final String XSRF_COOKIE = "tracefix_xsrf";

  private static final String BEARER = "Bearer ";

  private final byte[] expected;
  private final String token;
  private final String xsrf;

  TokenAuth(String token) {
    if (token.isBlank() || !token.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException(
          "workbench token must be non-empty and use only letters, digits, '-' and '_'");
    }
    this.token = token;
    this.expected = token.getBytes(StandardCharsets.UTF_8);
    this.xsrf = deriveXsrf(expected);
  }

  /** A value only someone who can read this server's cookies knows, derived from the token. */
  private static String deriveXsrf(byte[] token) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(token, "HmacSHA256"));
      byte[] digest = mac.doFinal("tracefix-xsrf".getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
    }
  }

  /** 32 random bytes, URL- and cookie-safe. */
  static String generate() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  String token() {
    return token;
  }

  /** Runs before every request: remembers a valid ?token= in a cookie, guards /api. */
  void handle(Context ctx) {
    String fromQuery = ctx.queryParam("token");
    if (fromQuery != null && matches(fromQuery)) {
      ctx.res()
          .addHeader("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
      ctx.res().addHeader("Set-Cookie", XSRF_COOKIE + "=" + xsrf + "; Path=/; SameSite=Strict");
    }
    if (isApi(ctx.path()) && !authorized(ctx)) {
      throw new UnauthorizedResponse(
          "missing or wrong token: open the URL printed by `tracefix serve`, or send"
              + " 'Authorization: Bearer <token>'");
    }
  }

  private static boolean isApi(String path) {
    return path.equals("/api") || path.startsWith("/api/");
  }

  /** True when the request carries no Bearer header, so only the cookie can have let it in. */
  boolean viaCookie(Context ctx) {
    String header = ctx.header("Authorization");
    return header == null || !header.startsWith(BEARER);
  }

  /** Constant-time check of the XSRF header against this server's value. */
  boolean xsrfMatches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(
            xsrf.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  private boolean authorized(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && header.startsWith(BEARER)) {
      return matches(header.substring(BEARER.length()).trim());
    }
    String cookie = ctx.cookie(COOKIE);
    return cookie != null && matches(cookie);
  }

  /** Constant-time, so response timing does not reveal how much of a guess was right. */
  private boolean matches(String candidate) {
    return MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8));
  }
}

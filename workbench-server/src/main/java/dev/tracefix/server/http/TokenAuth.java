package dev.tracefix.server.http;

import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The workbench's single shared secret, as in Jupyter: whoever has the URL printed at start may
 * use the API. The token arrives once as {@code ?token=} on the page URL, which sets an HttpOnly
 * cookie; API clients may send {@code Authorization: Bearer <token>} instead.
 */
final class TokenAuth {
  static final String COOKIE = "tracefix_token";
  private static final String BEARER = "Bearer ";

  private final byte[] expected;
  private final String token;

  TokenAuth(String token) {
    if (token.isBlank() || !token.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException(
          "workbench token must be non-empty and use only letters, digits, '-' and '_'");
    }
    this.token = token;
    this.expected = token.getBytes(StandardCharsets.UTF_8);
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
      ctx.header(
          "Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
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

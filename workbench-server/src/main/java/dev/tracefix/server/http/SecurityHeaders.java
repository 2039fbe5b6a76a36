package dev.tracefix.server.http;

import io.javalin.http.Context;

/**
 * Headers on every answer that keep the browser from running anything the workbench did not ship:
 * the app's pages may load scripts and styles from this server only; exported HTML (reports, the
 * notebook export) may run no script at all, so a value in a cell output that looks like markup
 * stays text even if it slipped past escaping, and the file is safe to open from disk or mail.
 */
final class SecurityHeaders {
  /** For the workbench's own pages and API answers. */
  static final String APP_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'; form-action 'self'";

  /** For exported documents: inline styles and data images only, no script of any origin. */
  static final String DOCUMENT_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
          + " frame-ancestors 'none'; form-action 'none'";

  private SecurityHeaders() {}

  static void app(Context ctx) {
    ctx.header("Content-Security-Policy", APP_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
  }

  /** Replaces the app policy for an exported document. */
  static void document(Context ctx) {
    ctx.header("Content-Security-Policy", DOCUMENT_POLICY);
  }
}

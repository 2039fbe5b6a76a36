package dev.tracefix.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written on a raw socket, so that the request line, the headers and the body reach the
 * server exactly as a test builds them (bytes that are not UTF-8, a Content-Type that lies), which
 * {@code java.net.http} would refuse or correct.
 */
final class RawHttp {
  /** An answer: status, headers (lower-case names) and up to {@code limit} bytes of body. */
  record Answer(int status, Map<String, String> headers, String body) {
    String contentType() {
      return headers.getOrDefault("content-type", "");
    }
  }

  private static final int BODY_LIMIT = 256 * 1024;

  private RawHttp() {}

  /**
   * Sends one request with {@code Connection: close}.
   *
   * @param target the request target as sent (already escaped, or deliberately not)
   * @param body null for none; otherwise sent with its length
   * @param readBody false for event streams, which never end once accepted (a refusal is read)
   */
  static Answer send(
      int port,
      String method,
      byte[] target,
      Map<String, String> headers,
      byte[] body,
      boolean readBody)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      Map<String, String> all = new LinkedHashMap<>();
      all.put("Host", "127.0.0.1:" + port);
      all.put("Connection", "close");
      all.putAll(headers);
      if (body != null) {
        all.put("Content-Length", "" + body.length);
      }
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      head.writeBytes((method + " ").getBytes(StandardCharsets.ISO_8859_1));
      head.writeBytes(target);
      head.writeBytes(" HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
      all.forEach(
          (k, v) -> head.writeBytes((k + ": " + v + "\r\n").getBytes(StandardCharsets.UTF_8)));
      head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      OutputStream out = socket.getOutputStream();
      out.write(head.toByteArray());
      if (body != null) {
        try {
          out.write(body);
        } catch (IOException answeredEarly) {
          // The server may answer (413) and close before it has read a large body.
        }
      }
      out.flush();
      InputStream in = socket.getInputStream();
      String status = line(in);
      if (status == null || !status.startsWith("HTTP/1.1 ")) {
        throw new IOException("no HTTP answer, got: " + status);
      }
      int code = Integer.parseInt(status.split(" ")[1]);
      Map<String, String> answerHeaders = new LinkedHashMap<>();
      String line;
      while ((line = line(in)) != null && !line.isEmpty()) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          answerHeaders.put(
              line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).strip());
        }
      }
      if (!readBody && code == 200) {
        return new Answer(code, answerHeaders, "");
      }
      byte[] bytes = in.readNBytes(BODY_LIMIT);
      if ("chunked".equalsIgnoreCase(answerHeaders.get("transfer-encoding"))) {
        bytes = dechunk(bytes);
      }
      return new Answer(code, answerHeaders, new String(bytes, StandardCharsets.UTF_8));
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Joins the chunks of a chunked body (sizes in hex, each chunk ended by CRLF). */
  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = 0;
    while (at < chunked.length) {
      int eol = at;
      while (eol + 1 < chunked.length && !(chunked[eol] == '\r' && chunked[eol + 1] == '\n')) {
        eol++;
      }
      if (eol + 1 >= chunked.length) {
        break;
      }
      String sizeLine = new String(chunked, at, eol - at, StandardCharsets.ISO_8859_1);
      int size;
      try {
        size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
      } catch (NumberFormatException e) {
        break;
      }
      if (size == 0) {
        break;
      }
      int start = eol + 2;
      int end = Math.min(chunked.length, start + size);
      body.write(chunked, start, end - start);
      at = end + 2;
    }
    return body.toByteArray();
  }
}

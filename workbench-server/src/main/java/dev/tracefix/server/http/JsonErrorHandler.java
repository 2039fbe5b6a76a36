package dev.tracefix.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before a request reaches the router (a request line or headers
 * too long, a path whose percent-encoding is not UTF-8): in the API's JSON error shape like every
 * other error, instead of Jetty's HTML page that echoes the request's URI.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final String JSON_UTF8 = "application/json;charset=utf-8";
  private final ObjectMapper json;

  JsonErrorHandler(ObjectMapper json) {
    this.json = json;
  }

  /** Jetty writes a body only for GET, POST and HEAD by default; PUT refusals need one too. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int status,
      String message,
      Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_UTF8);
    response.write(true, ByteBuffer.wrap(body(status, message)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, JSON_UTF8);
    return ByteBuffer.wrap(body(status, reason));
  }

  private byte[] body(int status, String message) {
    String text =
        message == null || message.isBlank()
            ? "the request was refused before it reached the API (HTTP " + status + ")"
            : message;
    try {
      return json.writeValueAsBytes(
          new ApiError(ErrorMapping.code(status), ErrorMapping.clip(text)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an error message that Jackson cannot write", e);
    }
  }
}

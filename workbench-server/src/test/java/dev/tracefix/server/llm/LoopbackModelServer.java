package dev.tracefix.server.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A model provider on 127.0.0.1 for tests: a real HTTP server speaking the OpenAI chat-completions
 * protocol (tool calls; streaming as server-sent events when the request asks for it), Ollama's
 * {@code /api/chat} (tool calls; NDJSON streaming) or Anthropic's {@code /v1/messages} (tool use;
 * streaming as its typed server-sent events), answering from a script, and keeping every request
 * byte it received.
 */
public final class LoopbackModelServer implements AutoCloseable {
  public enum Protocol {
    OPENAI,
    OLLAMA,
    ANTHROPIC
  }

  /** One scripted answer. */
  public sealed interface Reply {}

  /** The model calls tools: name and JSON arguments, in order. */
  public record ToolCalls(List<Map.Entry<String, String>> calls) implements Reply {}

  /** The model answers with text. */
  public record Text(String content) implements Reply {}

  /** The provider fails with this HTTP status and body. */
  public record Failure(int status, String body) implements Reply {}

  /** The provider takes this long before it answers with {@code then}. */
  public record Slow(long millis, Reply then) implements Reply {}

  /**
   * The provider takes the request and then says nothing more until {@code release} opens (a
   * streamed answer gets its headers and a first empty event, so the client is mid-stream); the
   * connection is then closed without an answer.
   */
  public record Stall(java.util.concurrent.CountDownLatch release) implements Reply {}

  /** What arrived: path, headers, and the body bytes exactly as received. */
  public record Received(String path, Map<String, List<String>> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Protocol protocol;
  private final HttpServer server;
  private final Iterator<Reply> script;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public LoopbackModelServer(Protocol protocol, List<Reply> script) throws IOException {
    this.protocol = protocol;
    this.script = new ArrayList<>(script).iterator();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  public String baseUrl() {
    String root = "http://127.0.0.1:" + server.getAddress().getPort();
    return protocol == Protocol.OLLAMA ? root : root + "/v1";
  }

  /** The provider word of this protocol, as {@code TRACEFIX_LLM_PROVIDER} takes it. */
  public String protocolWord() {
    return protocol.name().toLowerCase(java.util.Locale.ROOT);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  private synchronized Reply next() {
    return script.hasNext()
        ? script.next()
        : new Failure(500, "{\"error\":{\"message\":\"script exhausted\"}}");
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    received.add(
        new Received(
            exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
    JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    boolean stream = request.path("stream").asBoolean(false);
    Reply reply = next();
    while (reply instanceof Slow slow) {
      try {
        Thread.sleep(slow.millis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reply = slow.then();
    }
    try (exchange) {
      if (reply instanceof Stall stall) {
        stall(exchange, stream, stall);
        return;
      }
      if (reply instanceof Failure f) {
        send(exchange, f.status(), "application/json", f.body().getBytes(StandardCharsets.UTF_8));
        return;
      }
      String model = request.path("model").asText("test-model");
      if (protocol == Protocol.OPENAI) {
        if (stream) {
          send(
              exchange,
              200,
              "text/event-stream",
              openAiStream(model, reply).getBytes(StandardCharsets.UTF_8));
        } else {
          send(
              exchange,
              200,
              "application/json",
              JSON.writeValueAsBytes(openAiCompletion(model, reply)));
        }
      } else if (protocol == Protocol.ANTHROPIC) {
        if (stream) {
          send(
              exchange,
              200,
              "text/event-stream",
              anthropicStream(model, reply).getBytes(StandardCharsets.UTF_8));
        } else {
          send(
              exchange,
              200,
              "application/json",
              JSON.writeValueAsBytes(anthropicMessage(model, reply)));
        }
      } else {
        ObjectNode done = ollamaMessage(model, reply);
        if (stream) {
          send(
              exchange,
              200,
              "application/x-ndjson",
              (JSON.writeValueAsString(done) + "\n").getBytes(StandardCharsets.UTF_8));
        } else {
          send(exchange, 200, "application/json", JSON.writeValueAsBytes(done));
        }
      }
    }
  }

  private void stall(HttpExchange exchange, boolean stream, Stall stall) {
    try {
      if (stream) {
        exchange
            .getResponseHeaders()
            .set(
                "Content-Type",
                protocol == Protocol.OLLAMA ? "application/x-ndjson" : "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        exchange
            .getResponseBody()
            .write(
                protocol == Protocol.OLLAMA
                    ? "\n".getBytes(StandardCharsets.UTF_8)
                    : ": thinking\n\n".getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
      }
      stall.release().await();
    } catch (IOException | InterruptedException gone) {
      // the client went away, as a stopped request should
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static ObjectNode openAiCompletion(String model, Reply reply) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-test")
        .put("object", "chat.completion")
        .put("created", 1)
        .put("model", model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (reply instanceof ToolCalls calls) {
      message.putNull("content");
      ArrayNode array = message.putArray("tool_calls");
      int i = 0;
      for (var call : calls.calls()) {
        ObjectNode c = array.addObject();
        c.put("id", "call_" + (i++)).put("type", "function");
        c.putObject("function").put("name", call.getKey()).put("arguments", call.getValue());
      }
      choice.put("finish_reason", "tool_calls");
    } else {
      message.put("content", ((Text) reply).content());
      choice.put("finish_reason", "stop");
    }
    root.putObject("usage")
        .put("prompt_tokens", 10)
        .put("completion_tokens", 5)
        .put("total_tokens", 15);
    return root;
  }

  /** The same answer cut into chunks, as OpenAI streams it; tool arguments arrive in pieces. */
  private static String openAiStream(String model, Reply reply) throws IOException {
    StringBuilder sse = new StringBuilder();
    if (reply instanceof ToolCalls calls) {
      int i = 0;
      for (var call : calls.calls()) {
        ObjectNode first = chunk(model);
        ObjectNode tc =
            ((ObjectNode) first.path("choices").get(0).path("delta"))
                .putArray("tool_calls")
                .addObject();
        tc.put("index", i).put("id", "call_" + i).put("type", "function");
        tc.putObject("function").put("name", call.getKey()).put("arguments", "");
        sse.append("data: ").append(JSON.writeValueAsString(first)).append("\n\n");
        String args = call.getValue();
        for (int at = 0; at < args.length(); at += 7) {
          ObjectNode piece = chunk(model);
          ObjectNode ptc =
              ((ObjectNode) piece.path("choices").get(0).path("delta"))
                  .putArray("tool_calls")
                  .addObject();
          ptc.put("index", i);
          ptc.putObject("function")
              .put("arguments", args.substring(at, Math.min(args.length(), at + 7)));
          sse.append("data: ").append(JSON.writeValueAsString(piece)).append("\n\n");
        }
        i++;
      }
      ObjectNode end = chunk(model);
      ((ObjectNode) end.path("choices").get(0)).put("finish_reason", "tool_calls");
      sse.append("data: ").append(JSON.writeValueAsString(end)).append("\n\n");
    } else {
      String text = ((Text) reply).content();
      for (int at = 0; at < text.length(); at += 11) {
        ObjectNode piece = chunk(model);
        ((ObjectNode) piece.path("choices").get(0).path("delta"))
            .put("content", text.substring(at, Math.min(text.length(), at + 11)));
        sse.append("data: ").append(JSON.writeValueAsString(piece)).append("\n\n");
      }
      ObjectNode end = chunk(model);
      ((ObjectNode) end.path("choices").get(0)).put("finish_reason", "stop");
      sse.append("data: ").append(JSON.writeValueAsString(end)).append("\n\n");
    }
    sse.append("data: [DONE]\n\n");
    return sse.toString();
  }

  private static ObjectNode chunk(String model) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-test")
        .put("object", "chat.completion.chunk")
        .put("created", 1)
        .put("model", model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("delta");
    choice.putNull("finish_reason");
    return root;
  }

  private static ObjectNode anthropicMessage(String model, Reply reply) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "msg_test").put("type", "message").put("role", "assistant").put("model", model);
    ArrayNode content = root.putArray("content");
    if (reply instanceof ToolCalls calls) {
      int i = 0;
      for (var call : calls.calls()) {
        ObjectNode c = content.addObject();
        c.put("type", "tool_use").put("id", "toolu_" + (i++)).put("name", call.getKey());
        c.set("input", JSON.readTree(call.getValue()));
      }
      root.put("stop_reason", "tool_use");
    } else {
      content.addObject().put("type", "text").put("text", ((Text) reply).content());
      root.put("stop_reason", "end_turn");
    }
    root.putNull("stop_sequence");
    root.putObject("usage").put("input_tokens", 10).put("output_tokens", 5);
    return root;
  }

  /** The same answer as Anthropic streams it: typed events, text and tool input in pieces. */
  private static String anthropicStream(String model, Reply reply) throws IOException {
    StringBuilder sse = new StringBuilder();
    ObjectNode start = JSON.createObjectNode().put("type", "message_start");
    ObjectNode message = start.putObject("message");
    message
        .put("id", "msg_test")
        .put("type", "message")
        .put("role", "assistant")
        .put("model", model);
    message.putArray("content");
    message.putNull("stop_reason").putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", 10).put("output_tokens", 1);
    event(sse, "message_start", start);
    String stop;
    if (reply instanceof ToolCalls calls) {
      int i = 0;
      for (var call : calls.calls()) {
        ObjectNode blockStart =
            JSON.createObjectNode().put("type", "content_block_start").put("index", i);
        blockStart
            .putObject("content_block")
            .put("type", "tool_use")
            .put("id", "toolu_" + i)
            .put("name", call.getKey())
            .putObject("input");
        event(sse, "content_block_start", blockStart);
        String args = call.getValue();
        for (int at = 0; at < args.length(); at += 7) {
          ObjectNode delta =
              JSON.createObjectNode().put("type", "content_block_delta").put("index", i);
          delta
              .putObject("delta")
              .put("type", "input_json_delta")
              .put("partial_json", args.substring(at, Math.min(args.length(), at + 7)));
          event(sse, "content_block_delta", delta);
        }
        event(
            sse,
            "content_block_stop",
            JSON.createObjectNode().put("type", "content_block_stop").put("index", i));
        i++;
      }
      stop = "tool_use";
    } else {
      ObjectNode blockStart =
          JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
      blockStart.putObject("content_block").put("type", "text").put("text", "");
      event(sse, "content_block_start", blockStart);
      String text = ((Text) reply).content();
      for (int at = 0; at < text.length(); at += 11) {
        ObjectNode delta =
            JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
        delta
            .putObject("delta")
            .put("type", "text_delta")
            .put("text", text.substring(at, Math.min(text.length(), at + 11)));
        event(sse, "content_block_delta", delta);
      }
      event(
          sse,
          "content_block_stop",
          JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
      stop = "end_turn";
    }
    ObjectNode end = JSON.createObjectNode().put("type", "message_delta");
    end.putObject("delta").put("stop_reason", stop).putNull("stop_sequence");
    end.putObject("usage").put("output_tokens", 5);
    event(sse, "message_delta", end);
    event(sse, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
    return sse.toString();
  }

  private static void event(StringBuilder sse, String name, ObjectNode data) throws IOException {
    sse.append("event: ")
        .append(name)
        .append('\n')
        .append("data: ")
        .append(JSON.writeValueAsString(data))
        .append("\n\n");
  }

  private static ObjectNode ollamaMessage(String model, Reply reply) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model).put("created_at", "2025-03-01T10:00:00Z");
    ObjectNode message = root.putObject("message");
    message.put("role", "assistant");
    if (reply instanceof ToolCalls calls) {
      message.put("content", "");
      ArrayNode array = message.putArray("tool_calls");
      for (var call : calls.calls()) {
        array
            .addObject()
            .putObject("function")
            .put("name", call.getKey())
            .set("arguments", JSON.readTree(call.getValue()));
      }
    } else {
      message.put("content", ((Text) reply).content());
    }
    root.put("done", true)
        .put("done_reason", "stop")
        .put("prompt_eval_count", 10)
        .put("eval_count", 5);
    return root;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.tracefix.server.llm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Which model answers {@code ask} cells, read from {@code llm.yaml} in the notebook folder and
 * overridden by the environment ({@code TRACEFIX_LLM_PROVIDER}, {@code _BASE_URL}, {@code _MODEL},
 * {@code _API_KEY}). The key is never read from the file: the notebook folder is shared through
 * git, so the file may only name the variable that holds it ({@code api_key_env}).
 *
 * <pre>
 * provider: openai            # openai | ollama | anthropic | none
 * base_url: http://127.0.0.1:8000/v1
 * model: qwen2.5-7b-instruct
 * api_key_env: MY_LLM_KEY     # default TRACEFIX_LLM_API_KEY
 * timeout: 60s                # per request
 * stream: false               # stream answers (server-sent events)
 * max_steps: 8                # model turns (tool calls) per cell
 * max_rows: 50                # rows per SQL tool result
 * block: [PRIVATE_KEY, KEY_MATERIAL]   # recognizer types that stop a request instead of redacting
 * </pre>
 */
public record LlmSettings(
    Provider provider,
    String baseUrl,
    String model,
    ApiKey apiKey,
    Duration timeout,
    boolean stream,
    int maxSteps,
    int maxRows,
    Set<String> blockTypes,
    String source) {

  public static final String FILE_NAME = "llm.yaml";
  public static final String ENV_PROVIDER = "TRACEFIX_LLM_PROVIDER";
  public static final String ENV_BASE_URL = "TRACEFIX_LLM_BASE_URL";
  public static final String ENV_MODEL = "TRACEFIX_LLM_MODEL";
  public static final String ENV_API_KEY = "TRACEFIX_LLM_API_KEY";

  private static final Set<String> KNOWN_KEYS =
      Set.of(
          "provider",
          "base_url",
          "model",
          "api_key_env",
          "timeout",
          "stream",
          "max_steps",
          "max_rows",
          "block");
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

  public enum Provider {
    NONE,
    OPENAI,
    OLLAMA,
    ANTHROPIC;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Provider parse(String text, String where) {
      try {
        return valueOf(text.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new LlmException(
            LlmException.Kind.CONFIG,
            where + ": provider '" + text + "' is not one of openai, ollama, anthropic, none");
      }
    }

    String defaultBaseUrl() {
      return switch (this) {
        case OPENAI -> "https://api.openai.com/v1";
        case OLLAMA -> "http://127.0.0.1:11434";
        case ANTHROPIC -> "https://api.anthropic.com/v1";
        case NONE -> null;
      };
    }
  }

  public LlmSettings {
    blockTypes = Set.copyOf(blockTypes);
  }

  public static LlmSettings none(String source) {
    return new LlmSettings(
        Provider.NONE,
        null,
        null,
        ApiKey.NONE,
        Duration.ofSeconds(60),
        false,
        8,
        50,
        Set.of(),
        source);
  }

  public boolean configured() {
    return provider != Provider.NONE;
  }

  /** The settings for notebooks in {@code notebookDir}, under this environment. */
  public static LlmSettings load(Path notebookDir, Map<String, String> env) {
    Path file = notebookDir == null ? null : notebookDir.resolve(FILE_NAME);
    Map<String, Object> values = Map.of();
    List<String> sources = new ArrayList<>();
    if (file != null && Files.isRegularFile(file)) {
      values = read(file);
      sources.add(file.toString());
    }
    String where = file == null ? FILE_NAME : file.toString();
    String providerText = env.get(ENV_PROVIDER);
    if (providerText != null && !providerText.isBlank()) {
      sources.add(ENV_PROVIDER);
    } else {
      providerText = string(values, "provider", where);
    }
    Provider provider = providerText == null ? Provider.NONE : Provider.parse(providerText, where);
    String source = sources.isEmpty() ? "nothing configured" : String.join(" + ", sources);
    if (provider == Provider.NONE) {
      return none(source);
    }
    String baseUrl = override(env, ENV_BASE_URL, string(values, "base_url", where));
    String model = override(env, ENV_MODEL, string(values, "model", where));
    if (model == null) {
      throw new LlmException(
          LlmException.Kind.CONFIG,
          "provider "
              + provider.word()
              + " needs a model: set "
              + ENV_MODEL
              + " or 'model:' in "
              + where);
    }
    String keyVariable = string(values, "api_key_env", where);
    String key = env.get(keyVariable == null ? ENV_API_KEY : keyVariable);
    if (key == null && keyVariable != null) {
      key = env.get(ENV_API_KEY);
    }
    return new LlmSettings(
        provider,
        baseUrl == null ? provider.defaultBaseUrl() : baseUrl.replaceAll("/+$", ""),
        model,
        ApiKey.of(key),
        duration(values, "timeout", Duration.ofSeconds(60), where),
        Boolean.parseBoolean(String.valueOf(values.getOrDefault("stream", "false"))),
        positive(values, "max_steps", 8, where),
        positive(values, "max_rows", 50, where),
        blockTypes(values, where),
        source);
  }

  /** One line for people: what answers, where, with or without a key. Never the key. */
  public String describe() {
    if (!configured()) {
      return "no model configured ("
          + source
          + "): ask cells are answered by the deterministic analyst";
    }
    return "provider %s, model %s at %s, API key %s, timeout %d s%s (from %s)"
        .formatted(
            provider.word(),
            model,
            baseUrl,
            apiKey,
            timeout.toSeconds(),
            stream ? ", streaming" : "",
            source);
  }

  @Override
  public String toString() {
    return describe();
  }

  private static Map<String, Object> read(Path file) {
    Object parsed;
    try {
      parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      throw new LlmException(
          LlmException.Kind.CONFIG, file + ": cannot read: " + e.getMessage(), e);
    }
    if (parsed == null) {
      return Map.of();
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new LlmException(LlmException.Kind.CONFIG, file + ": expected 'key: value' lines");
    }
    if (map.containsKey("api_key")) {
      throw new LlmException(
          LlmException.Kind.CONFIG,
          file
              + ": keep the API key out of the notebook folder (it is shared through git): set "
              + ENV_API_KEY
              + ", or name another variable with 'api_key_env:'");
    }
    Set<String> unknown = new TreeSet<>();
    map.keySet()
        .forEach(
            k -> {
              if (!KNOWN_KEYS.contains(String.valueOf(k))) {
                unknown.add(String.valueOf(k));
              }
            });
    if (!unknown.isEmpty()) {
      throw new LlmException(
          LlmException.Kind.CONFIG,
          file + ": unknown key(s) " + unknown + "; known keys are " + new TreeSet<>(KNOWN_KEYS));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) map;
    return typed;
  }

  private static String override(Map<String, String> env, String name, String fromFile) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fromFile : value.strip();
  }

  private static String string(Map<String, Object> values, String key, String where) {
    Object v = values.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Map || v instanceof List) {
      throw new LlmException(LlmException.Kind.CONFIG, where + ": '" + key + "' must be one value");
    }
    String s = v.toString().strip();
    return s.isEmpty() ? null : s;
  }

  private static Duration duration(
      Map<String, Object> values, String key, Duration fallback, String where) {
    String text = string(values, key, where);
    if (text == null) {
      return fallback;
    }
    Matcher m = SHORT_DURATION.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMinutes(n);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new LlmException(
          LlmException.Kind.CONFIG,
          where + ": '" + key + ": " + text + "' is not a duration (e.g. 60s)");
    }
  }

  private static int positive(Map<String, Object> values, String key, int fallback, String where) {
    String text = string(values, key, where);
    if (text == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new LlmException(
        LlmException.Kind.CONFIG,
        where + ": '" + key + ": " + text + "' must be a whole number >= 1");
  }

  private static Set<String> blockTypes(Map<String, Object> values, String where) {
    Object v = values.get("block");
    if (v == null) {
      return Set.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new LlmException(
          LlmException.Kind.CONFIG,
          where + ": 'block' must be a list of recognizer types, e.g. [PRIVATE_KEY]");
    }
    Set<String> types = new LinkedHashSet<>();
    list.forEach(t -> types.add(String.valueOf(t).strip().toUpperCase(Locale.ROOT)));
    return types;
  }
}

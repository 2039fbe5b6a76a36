package dev.tracefix.capture.privacy;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.policy.Policy;
import java.io.StringReader;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Policy tests: a YAML list of {@code {name, type, input, expect}}; the policy turns {@code input}
 * into exactly {@code expect} (besides {@code key_id}). Tokens depend on the key, so they run under
 * a throwaway key and expected strings may use {@code *} for "any run of non-space characters"
 * (e.g. {@code h_*}, {@code <EMAIL:*>}).
 */
public final class PolicyTests {
  /** One test's outcome; {@code line} is where the test starts in the tests file. */
  public record Result(String name, int line, boolean passed, String message) {
    @Override
    public String toString() {
      return (passed ? "PASS " : "FAIL ")
          + name
          + " (line "
          + line
          + ")"
          + (passed ? "" : ": " + message);
    }
  }

  private PolicyTests() {}

  public static List<Result> run(Policy policy, String source, String testsYaml) {
    byte[] throwaway = new byte[32];
    new SecureRandom().nextBytes(throwaway);
    PrivacyEngine engine = new PrivacyEngine(policy, new HmacKey("k_policytest", throwaway));
    Node root = new Yaml(new LoaderOptions()).compose(new StringReader(testsYaml));
    if (!(root instanceof SequenceNode list)) {
      throw new CaptureException(
          Kind.USER,
          source + ":1: policy tests are a YAML list of" + " {name, type, input, expect}");
    }
    List<Result> results = new ArrayList<>();
    for (Node item : list.getValue()) {
      int line = item.getStartMark().getLine() + 1;
      Map<String, Object> test = (Map<String, Object>) plain(item);
      String name = String.valueOf(test.getOrDefault("name", "test at line " + line));
      Object type = test.get("type");
      if (!(type instanceof String)
          || !(test.get("input") instanceof Map)
          || !(test.get("expect") instanceof Map)) {
        results.add(new Result(name, line, false, "needs 'type', 'input' and 'expect'"));
        continue;
      }
      Map<String, Object> actual =
          new LinkedHashMap<>(
              engine.redact((String) type, (Map<String, Object>) test.get("input")));
      actual.remove("key_id");
      String diff = diff((Map<String, Object>) test.get("expect"), actual);
      results.add(new Result(name, line, diff.isEmpty(), diff));
    }
    return results;
  }

  private static String diff(Map<String, Object> expect, Map<String, Object> actual) {
    List<String> problems = new ArrayList<>();
    for (String field : new TreeSet<>(union(expect, actual))) {
      Object want = expect.get(field);
      Object got = actual.get(field);
      if (!expect.containsKey(field)) {
        problems.add(field + " should be dropped but is " + got);
      } else if (got == null) {
        problems.add(field + " expected " + want + " but was dropped");
      } else if (!matches(want, got)) {
        problems.add(field + " expected " + want + " but was " + got);
      }
    }
    return String.join("; ", problems);
  }

  private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
    List<String> keys = new ArrayList<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  private static boolean matches(Object want, Object got) {
    if (want instanceof Number w && got instanceof Number g) {
      return w.longValue() == g.longValue();
    }
    String w = String.valueOf(want);
    String g = String.valueOf(got);
    if (!w.contains("*")) {
      return w.equals(g);
    }
    StringBuilder regex = new StringBuilder();
    for (String part : w.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append("[^\\s]+?");
      }
      regex.append(Pattern.quote(part));
    }
    return g.matches(regex.toString());
  }

  /** Plain Java values of a YAML node: maps, lists, longs and strings (numbers stay numbers). */
  private static Object plain(Node node) {
    return switch (node) {
      case MappingNode m -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
          map.put(((ScalarNode) t.getKeyNode()).getValue(), plain(t.getValueNode()));
        }
        yield map;
      }
      case SequenceNode s -> s.getValue().stream().map(PolicyTests::plain).toList();
      case ScalarNode s -> scalar(s);
      default -> null;
    };
  }

  private static Object scalar(ScalarNode s) {
    String v = s.getValue();
    boolean quoted = s.getScalarStyle() != org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN;
    if (!quoted && v.matches("-?\\d{1,18}")) {
      return Long.parseLong(v);
    }
    return quoted || !v.equals("null") ? v : null;
  }
}

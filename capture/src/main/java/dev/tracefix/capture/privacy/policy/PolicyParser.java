package dev.tracefix.capture.privacy.policy;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads a policy file. The format:
 *
 * <pre>
 * policy: default
 * events:
 *   "*":                       # every event type
 *     time_ns: keep
 *   tcp_retransmit:
 *     bytes: bucket
 *     comm: truncate(32)
 *     port: {action: keep, when: 'event.type == "tcp_retransmit"', else: drop}
 * retention:                   # optional; without it events are kept 14 days
 *   events: 14d
 *   captures: forever
 * </pre>
 *
 * Anything wrong is refused with {@code FILE:LINE: reason} as a {@link CaptureException} of kind
 * USER, naming the known alternatives.
 */
public final class PolicyParser {
  private static final Pattern TRUNCATE = Pattern.compile("truncate\\((\\d{1,6})\\)");
  private static final Pattern AGE = Pattern.compile("(\\d{1,6})([dhm])");
  private static final Set<String> TOP = Set.of("policy", "events", "description", "retention");
  private static final Set<String> RULE_KEYS = Set.of("action", "when", "else");

  private final String source;
  private final EventSchema schema;

  private PolicyParser(String source, EventSchema schema) {
    this.source = source;
    this.schema = schema;
  }

  public static Policy parse(String source, String text, EventSchema schema) {
    return new PolicyParser(source, schema).parse(text);
  }

  private Policy parse(String text) {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      throw refuse(line, "not valid YAML: " + e.getProblem());
    } catch (ReaderException e) {
      // A character YAML does not allow (a NUL, a control character): no mark, only a position.
      int line =
          1
              + (int)
                  text.substring(0, Math.min(e.getPosition(), text.length()))
                      .chars()
                      .filter(c -> c == '\n')
                      .count();
      throw refuse(
          line,
          "not valid YAML: character "
              + String.format("U+%04X", e.getCodePoint())
              + " is not allowed");
    } catch (YAMLException e) {
      throw refuse(1, "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!(root instanceof MappingNode top)) {
      throw refuse(
          root == null ? 1 : line(root), "a policy is a mapping with 'policy' and 'events'");
    }
    String name = null;
    Map<String, Map<String, FieldRule>> rules = new LinkedHashMap<>();
    List<RetentionRule> retention = List.of(RetentionRule.DEFAULT_EVENTS);
    for (NodeTuple t : entries(top)) {
      String key = scalar(t.getKeyNode(), "a key");
      switch (key) {
        case "policy" -> name = scalar(t.getValueNode(), "the policy name");
        case "description" -> scalar(t.getValueNode(), "a description");
        case "events" -> rules = events(t.getValueNode());
        case "retention" -> retention = retention(t.getValueNode());
        default ->
            throw refuse(line(t.getKeyNode()), "unknown key '" + key + "'; expected one of " + TOP);
      }
    }
    if (name == null) {
      throw refuse(1, "missing 'policy: NAME'");
    }
    return new Policy(name, source, hash(text), rules, schema.types().keySet(), retention);
  }

  private List<RetentionRule> retention(Node node) {
    MappingNode map = mapping(node, "'retention' maps tables (events, captures) to ages like 14d");
    List<RetentionRule> rules = new ArrayList<>();
    for (NodeTuple t : entries(map)) {
      String table = scalar(t.getKeyNode(), "a table name");
      if (!RetentionRule.TABLES.contains(table)) {
        throw refuse(
            line(t.getKeyNode()),
            "no retention for table '" + table + "'; tables: events, captures");
      }
      String age = scalar(t.getValueNode(), "an age like 14d, 12h, 30m or forever");
      int at = line(t.getValueNode());
      if (age.equals("forever")) {
        rules.add(new RetentionRule(table, Optional.empty(), at));
        continue;
      }
      Matcher m = AGE.matcher(age);
      if (!m.matches()) {
        throw refuse(
            at,
            "retention age '"
                + age
                + "' for "
                + table
                + " is not N followed by d, h or m (e.g. 14d), or forever");
      }
      long n = Long.parseLong(m.group(1));
      if (n == 0) {
        throw refuse(
            at, "retention age for " + table + " must be positive; to keep rows say forever");
      }
      Duration d =
          switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
          };
      rules.add(new RetentionRule(table, Optional.of(d), at));
    }
    return rules;
  }

  private Map<String, Map<String, FieldRule>> events(Node node) {
    MappingNode map = mapping(node, "'events' maps each event type to its fields");
    Map<String, Map<String, FieldRule>> rules = new LinkedHashMap<>();
    for (NodeTuple t : entries(map)) {
      String type = scalar(t.getKeyNode(), "an event type");
      Map<String, FieldKind> fields;
      if (type.equals(Policy.ANY_TYPE)) {
        fields = new LinkedHashMap<>();
        for (Map<String, FieldKind> f : schema.types().values()) {
          f.forEach(fields::putIfAbsent);
        }
      } else {
        fields = schema.types().get(type);
        if (fields == null) {
          throw refuse(
              line(t.getKeyNode()),
              "unknown event type '"
                  + type
                  + "'; known: "
                  + String.join(", ", schema.types().keySet())
                  + ", or \"*\" for all");
        }
      }
      Map<String, FieldRule> typeRules = new LinkedHashMap<>();
      for (NodeTuple f :
          entries(mapping(t.getValueNode(), "'" + type + "' maps fields to actions"))) {
        String field = scalar(f.getKeyNode(), "a field name");
        FieldKind kind = fields.get(field);
        if (kind == null) {
          throw refuse(
              line(f.getKeyNode()),
              EventSchema.ENVELOPE.contains(field)
                  ? "'" + field + "' is set by tracefix, not by the policy"
                  : "no field '"
                      + field
                      + "' in "
                      + type
                      + "; fields: "
                      + String.join(", ", fields.keySet()));
        }
        typeRules.put(field, rule(f.getValueNode(), field, kind));
      }
      rules.put(type, typeRules);
    }
    return rules;
  }

  private FieldRule rule(Node node, String field, FieldKind kind) {
    int line = line(node);
    if (node instanceof ScalarNode) {
      return new FieldRule(action(node, field, kind), Optional.empty(), Action.DROP, line);
    }
    MappingNode map = mapping(node, "a rule is an action or {action, when, else}");
    Action action = null;
    Condition when = null;
    Action otherwise = Action.DROP;
    for (NodeTuple t : entries(map)) {
      String key = scalar(t.getKeyNode(), "a rule key");
      switch (key) {
        case "action" -> action = action(t.getValueNode(), field, kind);
        case "else" -> otherwise = action(t.getValueNode(), field, kind);
        case "when" -> {
          String expr = scalar(t.getValueNode(), "a CEL expression");
          try {
            when = Condition.compile(expr);
          } catch (IllegalArgumentException e) {
            throw refuse(
                line(t.getValueNode()),
                "condition '"
                    + expr
                    + "' is not a valid CEL"
                    + " boolean over 'event': "
                    + e.getMessage().replace('\n', ' '));
          }
        }
        default ->
            throw refuse(
                line(t.getKeyNode()),
                "unknown rule key '" + key + "'; expected one of " + RULE_KEYS);
      }
    }
    if (action == null) {
      throw refuse(line, "rule for '" + field + "' has no 'action'");
    }
    return new FieldRule(action, Optional.ofNullable(when), otherwise, line);
  }

  private Action action(Node node, String field, FieldKind kind) {
    String word = scalar(node, "an action");
    Matcher truncate = TRUNCATE.matcher(word);
    Action action =
        switch (word) {
          case "keep" -> Action.KEEP;
          case "drop" -> Action.DROP;
          case "hmac" -> new Action.Hmac();
          case "hash" -> new Action.Hash();
          case "bucket" -> new Action.Bucket();
          case "name" -> new Action.Name();
          case "cgroup_path" -> new Action.CgroupPath();
          default -> {
            if (truncate.matches()) {
              yield new Action.Truncate(Integer.parseInt(truncate.group(1)));
            }
            throw refuse(
                line(node),
                "unknown action '"
                    + word
                    + "'; expected keep, hmac, hash, bucket, truncate(N), name, cgroup_path or drop");
          }
        };
    boolean textOnly =
        action instanceof Action.Hmac
            || action instanceof Action.Hash
            || action instanceof Action.Truncate
            || action instanceof Action.Name
            || action instanceof Action.CgroupPath;
    if (textOnly && kind != FieldKind.TEXT) {
      throw refuse(
          line(node),
          Action.describe(action)
              + " needs a text field; '"
              + field
              + "' is a number (use keep, bucket or drop)");
    }
    if (action instanceof Action.Bucket && kind != FieldKind.NUMBER) {
      throw refuse(
          line(node),
          "bucket needs a number; '"
              + field
              + "' is text (use keep, hmac, hash, truncate(N) or drop)");
    }
    return action;
  }

  private List<NodeTuple> entries(MappingNode map) {
    Set<String> seen = new HashSet<>();
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode s && !seen.add(s.getValue())) {
        throw refuse(line(s), "'" + s.getValue() + "' appears twice");
      }
    }
    return map.getValue();
  }

  private MappingNode mapping(Node node, String expected) {
    if (node instanceof MappingNode m) {
      return m;
    }
    throw refuse(line(node), "expected a mapping: " + expected);
  }

  private String scalar(Node node, String expected) {
    if (node instanceof ScalarNode s) {
      return s.getValue();
    }
    throw refuse(line(node), "expected " + expected + ", found a " + node.getNodeId());
  }

  private static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  private CaptureException refuse(int line, String reason) {
    return new CaptureException(
        Kind.USER, "policy " + source + ":" + line + ": " + reason + " (policy refused)");
  }

  static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new CaptureException(Kind.INTERNAL, "SHA-256 is unavailable in this JDK", e);
    }
  }
}

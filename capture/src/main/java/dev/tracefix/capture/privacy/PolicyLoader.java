package dev.tracefix.capture.privacy;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import dev.tracefix.capture.privacy.policy.EventSchema;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.capture.privacy.policy.PolicyParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads a policy and runs the tests that live next to it ({@code NAME.yaml} → {@code
 * NAME.tests.yaml}); a policy whose tests fail is refused. The default policy ships in the jar
 * under {@code /policies/}.
 */
public final class PolicyLoader {
  public static final String DEFAULT_RESOURCE = "/policies/default.yaml";

  private PolicyLoader() {}

  public static Policy loadDefault() {
    String policy =
        resource(DEFAULT_RESOURCE)
            .orElseThrow(
                () ->
                    new CaptureException(
                        Kind.INTERNAL,
                        "default policy " + DEFAULT_RESOURCE + " is not on the classpath"));
    Optional<String> tests = resource(testsName(DEFAULT_RESOURCE));
    return checked("default.yaml", policy, tests);
  }

  /** The policy in {@code file} (checked against its tests), or the built-in one for null. */
  public static Policy loadOrDefault(Path file) {
    return file == null ? loadDefault() : load(file);
  }

  public static Policy load(Path file) {
    Path testsFile = file.resolveSibling(testsName(file.getFileName().toString()));
    return checked(
        file.toString(),
        read(file),
        Files.exists(testsFile) ? Optional.of(read(testsFile)) : Optional.empty());
  }

  /** Parses without running the tests (for {@code policy test}, which reports them itself). */
  public static Policy parse(Path file) {
    return PolicyParser.parse(file.toString(), read(file), EventSchema.current());
  }

  public static Path testsFileOf(Path policyFile) {
    return policyFile.resolveSibling(testsName(policyFile.getFileName().toString()));
  }

  /**
   * Policies already parsed and tested in this process, by their exact text: a capture reads its
   * policy before it creates anything and again when it starts, and parsing (CEL) plus the tests
   * cost about a second of a cold JVM's start-up. A changed file is a new key.
   */
  private static final Map<List<String>, Policy> CHECKED = new ConcurrentHashMap<>();

  private static Policy checked(String source, String text, Optional<String> tests) {
    List<String> key = Arrays.asList(source, text, tests.orElse(null));
    Policy known = CHECKED.get(key);
    if (known != null) {
      return known;
    }
    Policy policy = check(source, text, tests);
    CHECKED.put(key, policy);
    return policy;
  }

  private static Policy check(String source, String text, Optional<String> tests) {
    Policy policy = PolicyParser.parse(source, text, EventSchema.current());
    if (tests.isPresent()) {
      List<PolicyTests.Result> results = PolicyTests.run(policy, testsName(source), tests.get());
      List<PolicyTests.Result> failed = results.stream().filter(r -> !r.passed()).toList();
      if (!failed.isEmpty()) {
        StringBuilder msg =
            new StringBuilder(
                "policy "
                    + source
                    + " refused: "
                    + failed.size()
                    + " of "
                    + results.size()
                    + " policy tests fail:");
        failed.forEach(r -> msg.append("\n  ").append(r));
        throw new CaptureException(Kind.USER, msg.toString());
      }
    }
    return policy;
  }

  static String testsName(String policyName) {
    return policyName.endsWith(".yaml")
        ? policyName.substring(0, policyName.length() - 5) + ".tests.yaml"
        : policyName + ".tests.yaml";
  }

  private static Optional<String> resource(String name) {
    try (InputStream in = PolicyLoader.class.getResourceAsStream(name)) {
      return in == null
          ? Optional.empty()
          : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CaptureException(Kind.INTERNAL, "cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new CaptureException(Kind.USER, "cannot read policy " + file + ": " + e, e);
    }
  }
}

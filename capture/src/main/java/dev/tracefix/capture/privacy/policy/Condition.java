package dev.tracefix.capture.privacy.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A CEL boolean expression over {@code event} (a map of the raw field values plus {@code type}),
 * compiled once at load. An expression that reads nothing but {@code event.type} is constant per
 * event type, so the engine evaluates it once per type instead of once per event.
 */
public final class Condition {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .addVar("event", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .setResultType(SimpleType.BOOL)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private static final Pattern STRING_LITERAL =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern OTHER_THAN_TYPE =
      Pattern.compile("\\bevent\\b(?!\\s*\\.\\s*type\\b)");

  private final String source;
  private final CelRuntime.Program program;
  private final boolean typeOnly;

  private Condition(String source, CelRuntime.Program program, boolean typeOnly) {
    this.source = source;
    this.program = program;
    this.typeOnly = typeOnly;
  }

  /** Compiles {@code source}; the message of the exception is CEL's, with its column. */
  static Condition compile(String source) throws IllegalArgumentException {
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(source).getAst();
      String code = STRING_LITERAL.matcher(source).replaceAll("\"\"");
      return new Condition(
          source, RUNTIME.createProgram(ast), !OTHER_THAN_TYPE.matcher(code).find());
    } catch (CelValidationException e) {
      throw new IllegalArgumentException(e.getMessage().strip(), e);
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public String source() {
    return source;
  }

  public boolean typeOnly() {
    return typeOnly;
  }

  /** True if the condition holds; an evaluation error (e.g. a missing field) counts as false. */
  public boolean test(Map<String, Object> event) {
    try {
      return Boolean.TRUE.equals(program.eval(Map.of("event", event)));
    } catch (CelEvaluationException | RuntimeException e) {
      return false;
    }
  }
}

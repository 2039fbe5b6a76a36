package dev.tracefix.server.views.flame;

import java.util.regex.Pattern;

/**
 * A stack frame as the views show it: the function without its {@code +0xoffset}, and its kind.
 * Frames are stored symbolized on the capturing host ({@code module!symbol+0xoff} for user code,
 * {@code [jit]!void Cls.method(args)+0xoff} for JIT-compiled Java from a perf map, {@code
 * symbol+0xoff} for the kernel), never as addresses.
 */
public record Frame(String name, Kind kind) {
  public enum Kind {
    KERNEL,
    JVM,
    USER;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final Pattern OFFSET = Pattern.compile("\\+0x[0-9a-fA-F]+$");

  public static Frame kernel(String stored) {
    return new Frame(withoutOffset(stored), Kind.KERNEL);
  }

  /** A user-half frame: JVM when a perf map named it ({@code [jit]}) or it is in libjvm. */
  public static Frame user(String stored) {
    String name = withoutOffset(stored);
    boolean jvm = name.startsWith("[jit]!") || name.startsWith("libjvm.so!");
    return new Frame(name, jvm ? Kind.JVM : Kind.USER);
  }

  static String withoutOffset(String stored) {
    return stored == null ? "[unknown]" : OFFSET.matcher(stored).replaceFirst("");
  }
}

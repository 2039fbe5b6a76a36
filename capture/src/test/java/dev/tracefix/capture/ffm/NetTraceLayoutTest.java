package dev.tracefix.capture.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.NativeBuild;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every struct and constant of {@code bpf/net_trace.h}, read from the header itself, against the
 * Java mirror: the header is parsed for its {@code #define}s and struct members, a C program
 * compiled against it prints their values, sizes and offsets, and each must match the Java constant
 * of the same name (without {@code NET_TRACE_}) and the struct layout of the same name.
 */
class NetTraceLayoutTest {
  private static final Pattern DEFINE =
      Pattern.compile("^#define\\s+NET_TRACE_(\\w+)\\s+(\\S+)", Pattern.MULTILINE);
  private static final Pattern STRUCT =
      Pattern.compile("struct\\s+(net_trace_\\w+)\\s*\\{(.*?)\\};", Pattern.DOTALL);
  private static final Pattern MEMBER = Pattern.compile("(\\w+)\\s*(\\[[^\\]]*\\])?\\s*$");

  @TempDir Path dir;

  @Test
  void everyConstantAndEveryStructOfTheHeaderMatchesItsJavaMirror() throws Exception {
    String header = Files.readString(NativeBuild.BPF_DIR.resolve("net_trace.h"));
    String code = header.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    List<String> constants = new ArrayList<>();
    Matcher d = DEFINE.matcher(code);
    while (d.find()) {
      constants.add(d.group(1));
    }
    Map<String, List<String>> structs = new LinkedHashMap<>();
    Matcher s = STRUCT.matcher(code);
    while (s.find()) {
      List<String> members = new ArrayList<>();
      for (String declaration : s.group(2).split(";")) {
        if (!declaration.isBlank()) {
          Matcher m = MEMBER.matcher(declaration.strip());
          assertTrue(m.find(), "cannot read member '" + declaration.strip() + "'");
          members.add(m.group(1));
        }
      }
      structs.put(s.group(1), members);
    }
    assertFalse(constants.isEmpty() || structs.isEmpty(), "the header parsed to nothing");

    Map<String, Long> fromC = compileAndPrint(constants, structs);

    Set<String> unmirrored = new TreeSet<>();
    for (String constant : constants) {
      Field mirror = constantField(constant);
      if (mirror == null) {
        unmirrored.add("NET_TRACE_" + constant);
      } else {
        assertEquals(
            fromC.get("define." + constant),
            ((Number) mirror.get(null)).longValue(),
            "NET_TRACE_" + constant);
      }
    }
    assertEquals(Set.of(), unmirrored, "constants of net_trace.h with no Java mirror");

    Map<String, StructLayout> java = new HashMap<>();
    for (StructLayout layout : NetTraceLayout.STRUCTS) {
      java.put(layout.name().orElseThrow(), layout);
    }
    assertEquals(structs.keySet(), java.keySet(), "structs of net_trace.h and of NetTraceLayout");
    System.out.printf(
        "NetTraceLayoutTest: %d constants, %d structs, %d members of net_trace.h checked%n",
        constants.size(), structs.size(), structs.values().stream().mapToInt(List::size).sum());
    for (var struct : structs.entrySet()) {
      String name = struct.getKey();
      StructLayout layout = java.get(name);
      assertEquals(fromC.get(name + ".sizeof"), layout.byteSize(), "sizeof(struct " + name + ")");
      List<String> javaMembers = new ArrayList<>();
      for (MemoryLayout member : layout.memberLayouts()) {
        if (!(member instanceof PaddingLayout)) {
          javaMembers.add(member.name().orElseThrow());
        }
      }
      assertEquals(struct.getValue(), javaMembers, "members of " + name + ", in order");
      for (String member : struct.getValue()) {
        MemoryLayout.PathElement path = MemoryLayout.PathElement.groupElement(member);
        assertEquals(
            fromC.get(name + "." + member + ".offset"),
            layout.byteOffset(path),
            "offset of " + name + "." + member);
        assertEquals(
            fromC.get(name + "." + member + ".size"),
            layout.select(path).byteSize(),
            "size of " + name + "." + member);
      }
    }
  }

  private Map<String, Long> compileAndPrint(
      List<String> constants, Map<String, List<String>> structs) throws Exception {
    StringBuilder c =
        new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"net_trace.h\"\n");
    c.append("int main(void) {\n");
    for (String constant : constants) {
      c.append(
          "  printf(\"define.%1$s %%lld\\n\", (long long) (NET_TRACE_%1$s));\n"
              .formatted(constant));
    }
    for (var struct : structs.entrySet()) {
      String name = struct.getKey();
      c.append("  printf(\"%1$s.sizeof %%zu\\n\", sizeof(struct %1$s));\n".formatted(name));
      for (String member : struct.getValue()) {
        c.append(
            ("  printf(\"%1$s.%2$s.offset %%zu\\n\", offsetof(struct %1$s, %2$s));\n"
                    + "  printf(\"%1$s.%2$s.size %%zu\\n\", sizeof(((struct %1$s *) 0)->%2$s));\n")
                .formatted(name, member));
      }
    }
    c.append("  return 0;\n}\n");
    Path source = Files.writeString(dir.resolve("layout.c"), c);
    Path exe = NativeBuild.gcc(source, dir.resolve("layout"));
    Map<String, Long> values = new HashMap<>();
    for (String line : NativeBuild.run(List.of(exe.toString())).lines().toList()) {
      String[] kv = line.split(" ");
      values.put(kv[0], Long.parseLong(kv[1]));
    }
    return values;
  }

  private static Field constantField(String name) throws IllegalAccessException {
    try {
      Field f = NetTraceLayout.class.getDeclaredField(name);
      if (!Modifier.isStatic(f.getModifiers())) {
        return null;
      }
      f.setAccessible(true);
      assertNotNull(f.get(null), name);
      return f;
    } catch (NoSuchFieldException e) {
      return null;
    }
  }
}

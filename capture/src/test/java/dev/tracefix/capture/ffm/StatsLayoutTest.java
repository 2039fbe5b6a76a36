package dev.tracefix.capture.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracefix.capture.NativeBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StatsLayout's offsets and sizes are the C compiler's for bpf/syscall_stats.h. */
class StatsLayoutTest {
  @TempDir Path dir;

  @Test
  void matchesTheHeader() throws Exception {
    Path source = dir.resolve("layout.c");
    Files.writeString(
        source,
        """
        #include <stddef.h>
        #include <stdio.h>
        #include "syscall_stats.h"
        #define K(f) printf(#f " %zu\\n", offsetof(struct syscall_stats_key, f))
        #define V(f) printf(#f " %zu\\n", offsetof(struct syscall_stats_value, f))
        int main(void) {
          printf("key_size %zu\\n", sizeof(struct syscall_stats_key));
          printf("value_size %zu\\n", sizeof(struct syscall_stats_value));
          printf("buckets %d\\n", SYSCALL_STATS_BUCKETS);
          K(tgid); K(nr); K(err); K(family); K(dport); K(start_time_ns); K(daddr);
          V(calls); V(total_ns); V(bytes); V(hist);
          return 0;
        }
        """);
    Path exe = NativeBuild.gcc(source, dir.resolve("layout"));
    Map<String, Integer> c = new LinkedHashMap<>();
    for (String line : NativeBuild.run(List.of(exe.toString())).strip().split("\n")) {
      String[] kv = line.split(" ");
      c.put(kv[0], Integer.parseInt(kv[1]));
    }
    Map<String, Integer> java = new LinkedHashMap<>();
    java.put("key_size", StatsLayout.KEY_SIZE);
    java.put("value_size", StatsLayout.VALUE_SIZE);
    java.put("buckets", StatsLayout.BUCKETS);
    java.put("tgid", StatsLayout.KEY_TGID);
    java.put("nr", StatsLayout.KEY_NR);
    java.put("err", StatsLayout.KEY_ERR);
    java.put("family", StatsLayout.KEY_FAMILY);
    java.put("dport", StatsLayout.KEY_DPORT);
    java.put("start_time_ns", StatsLayout.KEY_START_TIME_NS);
    java.put("daddr", StatsLayout.KEY_DADDR);
    java.put("calls", StatsLayout.VALUE_CALLS);
    java.put("total_ns", StatsLayout.VALUE_TOTAL_NS);
    java.put("bytes", StatsLayout.VALUE_BYTES);
    java.put("hist", StatsLayout.VALUE_HIST);
    assertEquals(c, java);
  }
}

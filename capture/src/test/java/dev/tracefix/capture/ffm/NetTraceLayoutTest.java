package dev.tracefix.capture.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracefix.capture.NativeBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetTraceLayoutTest {
  @TempDir Path dir;

  @Test
  void matchesTheCStructSizesAndEveryFieldOffset() throws Exception {
    StringBuilder c =
        new StringBuilder(
            """
            #include <stdio.h>
            #include <stddef.h>
            #include "net_trace.h"
            int main(void) {
              printf("sizeof %zu\\n", sizeof(struct net_trace_event));
              printf("comm_len %d\\n", NET_TRACE_COMM_LEN);
              printf("addr_len %d\\n", NET_TRACE_ADDR_LEN);
              printf("sendto %d\\n", NET_TRACE_EVENT_SENDTO);
              printf("retransmit %d\\n", NET_TRACE_EVENT_TCP_RETRANSMIT);
              printf("exec %d\\n", NET_TRACE_EVENT_EXEC);
              printf("socket_write %d\\n", NET_TRACE_EVENT_SOCKET_WRITE);
              printf("path_len %d\\n", NET_TRACE_PATH_LEN);
              printf("types %d\\n", NET_TRACE_EVENT_TYPES);
              printf("syscall %d\\n", NET_TRACE_EVENT_SYSCALL);
              printf("syscall_max %d\\n", NET_TRACE_SYSCALL_MAX);
              printf("syscall_traced %d\\n", NET_TRACE_SYSCALL_TRACED);
              printf("syscall_arg0_fd %d\\n", NET_TRACE_SYSCALL_ARG0_FD);
              printf("syscall_socket_write %d\\n", NET_TRACE_SYSCALL_SOCKET_WRITE);
              printf("syscall_sendto %d\\n", NET_TRACE_SYSCALL_SENDTO);
              printf("syscall_accept %d\\n", NET_TRACE_SYSCALL_ACCEPT);
              printf("syscall_sizeof %zu\\n", sizeof(struct net_trace_syscall_event));
              printf("tcp_sizeof %zu\\n", sizeof(struct net_trace_tcp_event));
              printf("exit_sizeof %zu\\n", sizeof(struct net_trace_exit_event));
              printf("exit %d\\n", NET_TRACE_EVENT_EXIT);
              printf("uprobe %d\\n", NET_TRACE_EVENT_UPROBE);
              printf("uprobe_sizeof %zu\\n", sizeof(struct net_trace_uprobe_event));
              printf("tcp_state %d\\n", NET_TRACE_EVENT_TCP_STATE);
              printf("tcp_reset_sent %d\\n", NET_TRACE_EVENT_TCP_RESET_SENT);
              printf("tcp_reset_received %d\\n", NET_TRACE_EVENT_TCP_RESET_RECEIVED);
              printf("exec_sizeof %zu\\n", sizeof(struct net_trace_exec_event));
            """);
    for (String field : NetTraceLayout.FIELDS) {
      c.append(
          "  printf(\"offset.%1$s %%zu\\n\", offsetof(struct net_trace_event, %1$s));\n"
              .formatted(field));
    }
    for (String field : NetTraceLayout.EXEC_FIELDS) {
      c.append(
          "  printf(\"exec_offset.%1$s %%zu\\n\", offsetof(struct net_trace_exec_event, %1$s));\n"
              .formatted(field));
    }
    for (String field : NetTraceLayout.SYSCALL_FIELDS) {
      c.append(
          ("  printf(\"syscall_offset.%1$s %%zu\\n\","
                  + " offsetof(struct net_trace_syscall_event, %1$s));\n")
              .formatted(field));
    }
    for (String field : NetTraceLayout.TCP_FIELDS) {
      c.append(
          "  printf(\"tcp_offset.%1$s %%zu\\n\", offsetof(struct net_trace_tcp_event, %1$s));\n"
              .formatted(field));
    }
    for (String field : NetTraceLayout.EXIT_FIELDS) {
      c.append(
          "  printf(\"exit_offset.%1$s %%zu\\n\", offsetof(struct net_trace_exit_event, %1$s));\n"
              .formatted(field));
    }
    for (String field : NetTraceLayout.UPROBE_FIELDS) {
      c.append(
          ("  printf(\"uprobe_offset.%1$s %%zu\\n\","
                  + " offsetof(struct net_trace_uprobe_event, %1$s));\n")
              .formatted(field));
    }
    c.append("  return 0;\n}\n");
    Path source = Files.writeString(dir.resolve("layout.c"), c);
    Path exe = NativeBuild.gcc(source, dir.resolve("layout"));
    Map<String, Long> fromC = new HashMap<>();
    for (String line : NativeBuild.run(List.of(exe.toString())).lines().toList()) {
      String[] kv = line.split(" ");
      fromC.put(kv[0], Long.parseLong(kv[1]));
    }

    assertEquals(fromC.get("sizeof"), NetTraceLayout.byteSize(), "sizeof(struct net_trace_event)");
    for (String field : NetTraceLayout.FIELDS) {
      assertEquals(
          fromC.get("offset." + field), NetTraceLayout.offsetOf(field), "offset of " + field);
    }
    assertEquals(fromC.get("comm_len"), NetTraceLayout.COMM_LEN);
    assertEquals(fromC.get("addr_len"), NetTraceLayout.ADDR_LEN);
    assertEquals(fromC.get("sendto"), NetTraceLayout.EVENT_SENDTO);
    assertEquals(fromC.get("retransmit"), NetTraceLayout.EVENT_TCP_RETRANSMIT);
    assertEquals(fromC.get("exec"), NetTraceLayout.EVENT_EXEC);
    assertEquals(fromC.get("socket_write"), NetTraceLayout.EVENT_SOCKET_WRITE);
    assertEquals(fromC.get("path_len"), NetTraceLayout.PATH_LEN);
    assertEquals(fromC.get("types"), NetTraceLayout.EVENT_TYPES);
    assertEquals(fromC.get("syscall"), NetTraceLayout.EVENT_SYSCALL);
    assertEquals(fromC.get("syscall_max"), NetTraceLayout.SYSCALL_MAX);
    assertEquals(fromC.get("syscall_traced"), (long) NetTraceLayout.SYSCALL_TRACED);
    assertEquals(fromC.get("syscall_arg0_fd"), (long) NetTraceLayout.SYSCALL_ARG0_FD);
    assertEquals(fromC.get("syscall_socket_write"), (long) NetTraceLayout.SYSCALL_SOCKET_WRITE);
    assertEquals(fromC.get("syscall_sendto"), (long) NetTraceLayout.SYSCALL_SENDTO);
    assertEquals(fromC.get("syscall_accept"), (long) NetTraceLayout.SYSCALL_ACCEPT);
    assertEquals(fromC.get("syscall_sizeof"), NetTraceLayout.SYSCALL_LAYOUT.byteSize(), "syscall sizeof");
    assertEquals(fromC.get("tcp_sizeof"), NetTraceLayout.TCP_LAYOUT.byteSize(), "tcp sizeof");
    assertEquals(fromC.get("exit_sizeof"), NetTraceLayout.EXIT_LAYOUT.byteSize(), "exit sizeof");
    assertEquals(fromC.get("exit"), NetTraceLayout.EVENT_EXIT);
    for (String field : NetTraceLayout.EXIT_FIELDS) {
      assertEquals(
          fromC.get("exit_offset." + field), NetTraceLayout.offsetOf(NetTraceLayout.EXIT_LAYOUT, field), "exit " + field);
    }
    assertEquals(fromC.get("uprobe"), NetTraceLayout.EVENT_UPROBE);
    assertEquals(fromC.get("uprobe_sizeof"), NetTraceLayout.UPROBE_LAYOUT.byteSize(), "uprobe sizeof");
    for (String field : NetTraceLayout.UPROBE_FIELDS) {
      assertEquals(
          fromC.get("uprobe_offset." + field),
          NetTraceLayout.offsetOf(NetTraceLayout.UPROBE_LAYOUT, field),
          "uprobe " + field);
    }
    assertEquals(fromC.get("tcp_state"), NetTraceLayout.EVENT_TCP_STATE);
    assertEquals(fromC.get("tcp_reset_sent"), NetTraceLayout.EVENT_TCP_RESET_SENT);
    assertEquals(fromC.get("tcp_reset_received"), NetTraceLayout.EVENT_TCP_RESET_RECEIVED);
    for (String field : NetTraceLayout.TCP_FIELDS) {
      assertEquals(
          fromC.get("tcp_offset." + field), NetTraceLayout.offsetOf(NetTraceLayout.TCP_LAYOUT, field), "tcp " + field);
    }
    for (String field : NetTraceLayout.SYSCALL_FIELDS) {
      assertEquals(
          fromC.get("syscall_offset." + field),
          NetTraceLayout.offsetOf(NetTraceLayout.SYSCALL_LAYOUT, field),
          "offset of syscall " + field);
    }
    assertEquals(fromC.get("exec_sizeof"), NetTraceLayout.EXEC_LAYOUT.byteSize(), "sizeof(exec event)");
    for (String field : NetTraceLayout.EXEC_FIELDS) {
      assertEquals(
          fromC.get("exec_offset." + field),
          NetTraceLayout.offsetOf(NetTraceLayout.EXEC_LAYOUT, field),
          "offset of exec " + field);
    }
  }
}

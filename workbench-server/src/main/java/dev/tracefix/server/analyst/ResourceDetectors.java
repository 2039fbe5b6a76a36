package dev.tracefix.server.analyst;

import static dev.tracefix.server.analyst.TraceStats.asLong;
import static dev.tracefix.server.analyst.TraceStats.literal;

import dev.tracefix.server.analyst.Finding.Topic;
import dev.tracefix.server.message.CellOutput.Hypothesis;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Hypotheses about exhausted resources: descriptor leaks and the errnos that say "out of X". */
final class ResourceDetectors {
  private ResourceDetectors() {}

  /** Syscalls that create a file descriptor. */
  static final String FD_CREATORS =
      "('open', 'openat', 'openat2', 'creat', 'socket', 'socketpair', 'accept', 'accept4', 'dup',"
          + " 'dup2', 'dup3', 'pipe', 'pipe2', 'eventfd', 'eventfd2', 'epoll_create',"
          + " 'epoll_create1', 'timerfd_create', 'signalfd', 'signalfd4', 'memfd_create')";

  /**
   * Calls where EAGAIN is the normal answer of non-blocking I/O, not a resource limit; EAGAIN
   * elsewhere (fork, clone, mmap, mlock) says a limit was hit.
   */
  private static final String NONBLOCKING_IO =
      "('read', 'readv', 'pread64', 'preadv', 'recvfrom', 'recvmsg', 'recvmmsg', 'write', 'writev',"
          + " 'pwrite64', 'pwritev', 'sendto', 'sendmsg', 'sendmmsg', 'socket_write', 'accept',"
          + " 'accept4', 'connect', 'epoll_wait', 'epoll_pwait', 'poll', 'ppoll', 'select',"
          + " 'pselect6', 'futex')";

  private static final Map<String, String> MEANING =
      Map.of(
          "EMFILE", "has run out of file descriptors (its RLIMIT_NOFILE)",
          "ENFILE", "hits the system-wide limit on open files",
          "ENOSPC", "finds the disk (or inode table) full",
          "EDQUOT", "is over its disk quota",
          "ENOMEM", "is refused memory",
          "EAGAIN", "hits a resource limit (processes, threads or locked memory)");

  /** EMFILE, ENFILE, ENOSPC, EDQUOT, ENOMEM, and EAGAIN outside non-blocking I/O. */
  static List<Finding> exhaustion(TraceStats stats) throws SQLException {
    List<Finding> findings = new ArrayList<>();
    String sql =
        """
        SELECT e.process_token, any_value(p.comm) AS comm, e.errno_name,
          %1$s AS call_name, count(*) AS failures, min(e.time)::VARCHAR AS first
        FROM events e %2$s
        WHERE e.errno_name IN ('EMFILE', 'ENFILE', 'ENOSPC', 'EDQUOT', 'ENOMEM')
           OR (e.errno_name = 'EAGAIN' AND %1$s NOT IN %3$s)
        GROUP BY e.process_token, e.errno_name, %1$s
        ORDER BY failures DESC LIMIT 5
        """
            .formatted(stats.call("e"), stats.processJoin(), NONBLOCKING_IO);
    for (Map<String, Object> row : stats.rows(sql)) {
      String errno = row.get("errno_name").toString();
      long failures = asLong(row.get("failures"));
      if (errno.equals("EAGAIN") && failures < 3) {
        continue;
      }
      String process = TraceStats.process(row.get("comm"), row.get("process_token"));
      String call = row.get("call_name").toString();
      String statement =
          "%s %s: %s fails with %s from %s"
              .formatted(process, MEANING.get(errno), call, errno, row.get("first"));
      String evidence = "%d %s calls by this process returned %s".formatted(failures, call, errno);
      String check =
          """
          SELECT process_token, %1$s AS call_name, count(*) AS failures, min(time) AS first
          FROM events WHERE process_token = %2$s AND errno_name = %3$s
            AND %1$s = %4$s
          GROUP BY ALL"""
              .formatted(
                  stats.call(""), literal(row.get("process_token")), literal(errno), literal(call));
      double strength = Math.min(1.0, 0.7 + Math.log10(failures + 1) / 10);
      findings.add(
          new Finding(
              "resource-exhaustion",
              new Hypothesis(statement, evidence, check),
              strength,
              Set.of(Topic.RESOURCES, Topic.ERRORS)));
    }
    return findings;
  }

  /**
   * Descriptors opened and not closed: a process creates many more than it closes, and the
   * descriptor numbers it works on keep climbing (the kernel hands out the lowest free number, so
   * numbers only climb while descriptors stay open).
   */
  static List<Finding> fdGrowth(TraceStats stats) throws SQLException {
    List<Finding> findings = new ArrayList<>();
    String sql =
        """
        WITH calls AS (
          SELECT process_token, syscall, fd, coalesce(errno, 0) = 0 AS ok, time
          FROM events WHERE type = 'syscall'),
        per AS (
          SELECT process_token,
            count(*) FILTER (WHERE syscall IN %1$s AND ok) AS opened,
            count(*) FILTER (WHERE syscall = 'close' AND ok) AS closed,
            min(time) AS t0, max(time) AS t1
          FROM calls GROUP BY process_token),
        fds AS (
          SELECT c.process_token,
            max(c.fd) FILTER (WHERE epoch_ns(c.time) <= epoch_ns(per.t0)
              + (epoch_ns(per.t1) - epoch_ns(per.t0)) / 4) AS early_max_fd,
            max(c.fd) FILTER (WHERE epoch_ns(c.time) >= epoch_ns(per.t1)
              - (epoch_ns(per.t1) - epoch_ns(per.t0)) / 4) AS late_max_fd
          FROM calls c JOIN per USING (process_token) WHERE c.fd >= 0 GROUP BY c.process_token)
        SELECT per.process_token, p.comm, per.opened, per.closed, fds.early_max_fd, fds.late_max_fd
        FROM per LEFT JOIN fds USING (process_token)
        LEFT JOIN (SELECT token, any_value(comm) AS comm FROM processes GROUP BY token) p
          ON p.token = per.process_token
        WHERE per.opened - per.closed >= 20 AND per.closed < per.opened / 2
        ORDER BY per.opened - per.closed DESC LIMIT 3
        """
            .formatted(FD_CREATORS);
    if (!stats.hasTable("processes") || !stats.hasColumn("events", "fd")) {
      return findings;
    }
    for (Map<String, Object> row : stats.rows(sql)) {
      Object early = row.get("early_max_fd");
      Object late = row.get("late_max_fd");
      if (early != null && late != null && asLong(late) <= asLong(early)) {
        continue; // numbers do not climb: descriptors are reused, so they are being closed
      }
      long opened = asLong(row.get("opened"));
      long closed = asLong(row.get("closed"));
      String process = TraceStats.process(row.get("comm"), row.get("process_token"));
      String statement =
          "%s leaks file descriptors: it opened %d and closed %d"
              .formatted(process, opened, closed);
      String evidence =
          "%d descriptor-creating calls succeeded and %d closes%s"
              .formatted(
                  opened,
                  closed,
                  early == null || late == null
                      ? ""
                      : "; the highest descriptor it used rose from %d to %d"
                          .formatted(asLong(early), asLong(late)));
      String check =
          """
          SELECT process_token,
            count(*) FILTER (WHERE syscall IN %s AND coalesce(errno, 0) = 0) AS opened,
            count(*) FILTER (WHERE syscall = 'close' AND coalesce(errno, 0) = 0) AS closed
          FROM events WHERE type = 'syscall' AND process_token = %s
          GROUP BY process_token
          HAVING count(*) FILTER (WHERE syscall IN %s AND coalesce(errno, 0) = 0)
            - count(*) FILTER (WHERE syscall = 'close' AND coalesce(errno, 0) = 0) >= 20"""
              .formatted(FD_CREATORS, literal(row.get("process_token")), FD_CREATORS);
      double strength = Math.min(0.9, 0.4 + Math.log10(opened - closed) / 5);
      findings.add(
          new Finding(
              "fd-leak",
              new Hypothesis(statement, evidence, check),
              strength,
              Set.of(Topic.RESOURCES)));
    }
    return findings;
  }
}

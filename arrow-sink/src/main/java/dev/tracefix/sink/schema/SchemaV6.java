package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 6: off-CPU time and stacks, the capture's clock and boot, and trigger firings.
 *
 * <ul>
 *   <li>{@code events.thread_token}: keyed token of the thread (off-CPU time is per thread; a raw
 *       thread id never lands), {@code events.wait_state}: how an off-CPU thread left the CPU
 *       ({@code sleeping}, {@code blocked} for uninterruptible waits such as disk, {@code
 *       preempted}).
 *   <li>{@code events.child_token}: the process token of the child a traced process forked.
 *   <li>{@code capture_stats.sampled_out}: events of the type a probe saw and skipped because of
 *       in-kernel sampling (1 in N); {@code produced = stored + dropped} still holds.
 *   <li>{@code stacks.kernel_frames}: the kernel half of a stack; {@code frames} stays the user
 *       half, leaf first, each {@code module!symbol+0xoffset} with the module name redacted.
 *   <li>{@code captures.boot_id}: a hash of the kernel's boot id (captures of one boot share it),
 *       {@code captures.clock_offset_ns}: wall clock minus the monotonic clock at capture start, so
 *       kernel timestamps of other tools can be lined up with {@code events.time}.
 *   <li>{@code trigger_firings}: each time a trigger rule turned richer probes on, and when they
 *       went off again.
 * </ul>
 *
 * Rows stored before this version read NULL in the new columns.
 */
final class SchemaV6 {
  private SchemaV6() {}

  static final List<String> DDL =
      List.of(
          "ALTER TABLE events ADD COLUMN thread_token VARCHAR",
          "ALTER TABLE events ADD COLUMN wait_state VARCHAR",
          "ALTER TABLE events ADD COLUMN child_token VARCHAR",
          "ALTER TABLE capture_stats ADD COLUMN sampled_out BIGINT",
          "ALTER TABLE stacks ADD COLUMN kernel_frames VARCHAR[]",
          "ALTER TABLE captures ADD COLUMN boot_id VARCHAR",
          "ALTER TABLE captures ADD COLUMN clock_offset_ns BIGINT",
          """
          CREATE TABLE trigger_firings(
            capture_id VARCHAR,
            rule VARCHAR,
            fired_at TIMESTAMP_NS,
            ended_at TIMESTAMP_NS,
            observed_per_s DOUBLE,
            threshold_per_s DOUBLE,
            probes VARCHAR[])
          """,
          """
          CREATE VIEW off_cpu AS
          SELECT e.capture_id, e.time, e.process_token, p.comm, e.thread_token, e.wait_state,
                 e.duration_ns, e.duration_ns / 1e6 AS off_cpu_ms, e.stack_id
          FROM events e
          LEFT JOIN processes p ON p.capture_id = e.capture_id AND p.token = e.process_token
          WHERE e.type = 'off_cpu'
          """);
}

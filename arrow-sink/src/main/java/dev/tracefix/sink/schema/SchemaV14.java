package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 14: {@code jvm_events}, JVM flight-recorder events (exceptions, collections and their
 * pauses, safepoints, monitor waits, parks, socket and file I/O by Java thread, thread starts and
 * ends, CPU load, execution samples), one row per event, redacted by the same policy as kernel
 * events. Its {@code process_token}, {@code thread_token} and {@code peer_hash} are the tokens
 * kernel rows of the same process, thread and peer carry, and {@code time} is on the same clock, so
 * the two join on them. Columns follow {@code SafeJvmEvent} ({@link JvmEventColumns}); the ones
 * here are those of version 14.
 *
 * <p>{@code jvm_events_by_thread}: the rows with the process's comm, for joins by thread.
 */
final class SchemaV14 {
  private SchemaV14() {}

  static final List<String> DDL =
      List.of(
          """
          CREATE TABLE jvm_events(
            capture_id VARCHAR,
            time TIMESTAMP_NS,
            type VARCHAR,
            process_token VARCHAR,
            key_id VARCHAR,
            thread_token VARCHAR,
            java_thread_token VARCHAR,
            thread_name VARCHAR,
            duration_ns BIGINT,
            stack_id BIGINT,
            object_class VARCHAR,
            message VARCHAR,
            monitor_address VARCHAR,
            gc_name VARCHAR,
            gc_cause VARCHAR,
            gc_id BIGINT,
            safepoint_id BIGINT,
            longest_pause_ns BIGINT,
            sum_of_pauses_ns BIGINT,
            timeout_ns BIGINT,
            timed_out INTEGER,
            bytes BIGINT,
            peer_hash VARCHAR,
            remote_host VARCHAR,
            remote_port INTEGER,
            path VARCHAR,
            count BIGINT,
            jvm_user_permille INTEGER,
            jvm_system_permille INTEGER,
            machine_permille INTEGER)
          """);
}

package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 7: each program a process runs has its own token.
 *
 * <ul>
 *   <li>{@code events.previous_token}: on a {@code process_exec} event, the token the process had
 *       before it executed a new program. A process that execs after it was announced (a wrapper
 *       shell's {@code exec prog}) continues under a new token, announced in {@code processes} with
 *       the new program's comm, exe hash and build id; this column links the two, as {@code
 *       child_token} links a fork's parent and child.
 * </ul>
 *
 * Rows stored before this version read NULL in the new column.
 */
final class SchemaV7 {
  private SchemaV7() {}

  static final List<String> DDL = List.of("ALTER TABLE events ADD COLUMN previous_token VARCHAR");
}

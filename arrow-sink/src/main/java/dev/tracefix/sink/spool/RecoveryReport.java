package dev.tracefix.sink.spool;

import java.util.List;

/**
 * What opening a store found in its spool.
 *
 * @param ingested segments inserted now (a previous run acknowledged them but did not insert them)
 * @param rows rows those segments held
 * @param alreadyStored segments whose id was already recorded (the crash came after the commit)
 * @param quarantined segments set aside as truncated or corrupt
 */
public record RecoveryReport(
    int ingested, long rows, int alreadyStored, List<Quarantined> quarantined) {
  public static final RecoveryReport NOTHING = new RecoveryReport(0, 0, 0, List.of());

  public RecoveryReport {
    quarantined = List.copyOf(quarantined);
  }
}

package dev.tracefix.server.capture;

import dev.tracefix.server.wire.MayBeNull;
import java.util.List;

/**
 * A live capture as the page shows it: its state and the counters of its last snapshot.
 *
 * @param id the server's name for it ({@code live-1}), used in the routes
 * @param state {@code running}, {@code stored} (its rows are queryable as {@code catalog.events})
 *     or {@code failed}
 * @param catalog the catalog notebooks read it from once stored ({@code live_1})
 * @param captureId the captures row's id, once stored
 * @param seconds the duration asked for
 * @param elapsedMs time since it started (its whole run once it ended)
 * @param types per record type: counters and events per second over the last snapshot
 * @param queueDepth records produced but neither stored nor dropped yet: still in the ring
 * @param stored events stored, the exact count of {@code catalog.events} once stored
 * @param error why it failed, or null
 */
public record LiveCaptureStatus(
    String id,
    String state,
    String catalog,
    @MayBeNull String captureId,
    int seconds,
    long elapsedMs,
    List<TypeRate> types,
    long produced,
    long dropped,
    long queueDepth,
    long stored,
    @MayBeNull String error) {

  /** One record type's counters and rate. */
  public record TypeRate(String type, long produced, long stored, long dropped, double perSecond) {}
}

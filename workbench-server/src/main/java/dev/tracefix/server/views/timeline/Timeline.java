package dev.tracefix.server.views.timeline;

import java.util.List;

/**
 * What the timeline draws for one window of a selection, at a level of detail bounded by the
 * window's width in pixels, whatever the number of events in view.
 *
 * <p>Times are nanoseconds relative to {@code originNs} (the selection's first moment, a decimal
 * string since epoch nanoseconds exceed a JavaScript number's exact range); they stay the same as
 * the window moves, so a page can zoom without re-basing.
 *
 * @param originNs the selection's first moment, epoch nanoseconds, as a decimal string
 * @param fromNs the window's start, relative to the origin
 * @param toNs the window's end, relative to the origin
 * @param extentNs the selection's last moment, relative to the origin
 * @param bucketNs the width of one aggregated bucket: slices shorter than it are summed per bucket
 * @param events the events in the window (all tracks)
 * @param jvmEvents how many of them are JVM flight-recorder rows drawn beside the selection's (on
 *     tracks of kind {@code jvm})
 * @param tracks the busiest tracks in the window, at most {@link TimelineQuery#MAX_TRACKS}
 * @param hiddenTracks tracks in the window that were left out (their events count in {@code
 *     events})
 * @param slices slices at least {@code bucketNs} long (at most {@link TimelineQuery#MAX_SLICES},
 *     the longest)
 * @param buckets the shorter slices, summed per track and bucket
 * @param instants point events (TCP state changes, retransmits, resets, process start and exit,
 *     exceptions a JVM threw)
 * @param instantsAggregated whether {@code instants} are per-bucket counts rather than single
 *     events
 */
public record Timeline(
    String originNs,
    long fromNs,
    long toNs,
    long extentNs,
    long bucketNs,
    long events,
    long jvmEvents,
    List<Track> tracks,
    int hiddenTracks,
    List<Slice> slices,
    List<Bucket> buckets,
    List<Instant> instants,
    boolean instantsAggregated) {

  /**
   * One row of the timeline.
   *
   * @param kind {@code process}, {@code thread}, {@code connection}, or {@code jvm}: the JVM
   *     flight-recorder spans and marks of a thread (id its thread token), or the GC pauses and
   *     safepoints of a JVM process (id its process token)
   * @param id the process or thread token, or the connection hash (redacted on capture)
   * @param process the process token the track belongs to
   * @param label what the track is called: the process's comm (a plain word or a token) and a short
   *     form of the id; for a JVM thread its Java thread name as the privacy policy kept it
   * @param parent for a {@code jvm} track, the index of the kernel track of the same thread (or
   *     process) it is drawn under, which comes right before it; -1 otherwise or when that track is
   *     not shown
   */
  public record Track(
      String kind, String id, String process, String label, long events, int parent) {}

  /**
   * One call, drawn as a bar from start to end.
   *
   * @param track index into {@code tracks}
   * @param name the syscall name, else the event type; for a JVM span the flight recorder's type
   *     and what it waited on ({@code jdk.JavaMonitorEnter Orders$Lock}) or the GC phase
   * @param errno 0 for success
   * @param row the event's row in the selection (a page offset of the cell's result), -1 when the
   *     selection is the store's events
   */
  public record Slice(
      int track,
      long startNs,
      long durationNs,
      String name,
      int errno,
      String errnoName,
      long row) {}

  /**
   * The slices of one track starting within one bucket, too short to draw one by one.
   *
   * @param errnoName the most frequent error among them, null when none failed
   * @param busyNs their summed duration
   */
  public record Bucket(
      int track,
      long startNs,
      long endNs,
      long count,
      long errors,
      String errnoName,
      long busyNs) {}

  /**
   * A point event, or when aggregated the count of one type in one bucket.
   *
   * @param name the event type, e.g. {@code tcp_retransmit}
   * @param detail a state change ({@code SYN_SENT -> ESTABLISHED}), an errno name or the class a
   *     JVM threw, else null
   * @param row as for slices; -1 when aggregated or from the store
   */
  public record Instant(int track, long atNs, String name, String detail, long count, long row) {}
}

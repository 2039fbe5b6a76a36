package dev.tracefix.server.views.timeline;

import dev.tracefix.server.views.Selection;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link Timeline} of a selection in DuckDB, so a window with a million events in view
 * answers with a payload bounded by its width, not its events: at most {@link #MAX_TRACKS} tracks,
 * {@link #MAX_SLICES} slices drawn one by one (those at least a bucket long, the longest first),
 * per-bucket sums of the rest (at most about {@link #MAX_BUCKETS}: the bucket widens when many
 * tracks share the window) and {@link #MAX_INSTANTS} point events, or their per-bucket counts
 * beyond that.
 *
 * <p>Tracks: TCP events on their connection, other events on their thread when the capture named it
 * ({@code thread_token}), else on their process. An event's {@code time} is when it completed (the
 * kernel's exit timestamp), so a slice spans {@code time - duration_ns .. time}.
 *
 * <p>When the store holds JVM flight-recorder rows of the selection's processes ({@link JvmRows}),
 * each thread that has some gets a track of kind {@code jvm} right under its kernel track (its
 * {@code parent}), and each JVM process one for its GC pauses and safepoints under the process's
 * track: the same window, buckets and bounds apply to them as to kernel rows.
 */
public final class TimelineQuery {
  public static final int MAX_TRACKS = 500;
  public static final int MAX_SLICES = 10_000;
  public static final int MAX_BUCKETS = 20_000;
  public static final int MAX_INSTANTS = 10_000;
  public static final int DEFAULT_WIDTH = 1200;
  public static final int MAX_WIDTH = 4000;

  /**
   * The window to draw.
   *
   * @param fromNs the start relative to the selection's origin; empty: the selection's start
   * @param toNs the end relative to the origin; empty: the selection's end
   * @param width the width in pixels the page draws it on (buckets are about a pixel wide)
   */
  public record Window(Optional<Long> fromNs, Optional<Long> toNs, int width) {
    public Window {
      if (width < 1 || width > MAX_WIDTH) {
        throw new IllegalArgumentException("width must be between 1 and " + MAX_WIDTH + " pixels");
      }
      if (fromNs.isPresent() && toNs.isPresent() && toNs.get() <= fromNs.get()) {
        throw new IllegalArgumentException("the window's 'to' must be after its 'from'");
      }
    }

    public static Window whole() {
      return new Window(Optional.empty(), Optional.empty(), DEFAULT_WIDTH);
    }
  }

  private final Connection connection;
  private final Selection selection;
  private final String store;
  private final boolean rowsArePageOffsets;

  /** Whether this drawing includes the store's JVM rows (set by {@link #draw}). */
  private boolean jvm;

  /**
   * @param store the event store's schema for process names, or null
   * @param rowsArePageOffsets whether the selection is a kept result whose {@code rowid} is the
   *     offset its pages use (a cell's result; not the store's events)
   */
  public TimelineQuery(
      Connection connection, Selection selection, String store, boolean rowsArePageOffsets) {
    this.connection = connection;
    this.selection = selection;
    this.store = store;
    this.rowsArePageOffsets = rowsArePageOffsets;
  }

  public Timeline draw(Window window) throws SQLException {
    selection.requireTimestamp("time", "timeline", "when each event completed");
    long[] bounds = bounds();
    long origin = bounds[0];
    long extent = bounds[1];
    long from = window.fromNs().orElse(0L);
    long to = window.toNs().orElse(Math.max(extent, from + 1));
    if (to <= from) {
      to = from + 1;
    }
    jvm = JvmRows.present(connection, store);
    if (jvm) {
      materializeJvm(origin, extent);
    }
    materialize(inView(origin, from, to));
    long[] counts =
        longs(
            "SELECT count(*), coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE kind = 'jvm'), 0)"
                + " FROM temp."
                + TRACKS,
            3);
    int trackCount = (int) counts[0];
    int shownCount = Math.min(trackCount, MAX_TRACKS);
    long span = to - from;
    long bucket =
        Math.max(
            1,
            Math.max(
                ceilDiv(span, window.width()),
                ceilDiv(span, Math.max(1, MAX_BUCKETS / Math.max(1, shownCount)))));
    List<Timeline.Track> tracks = tracks();
    long threshold = sliceThreshold(bucket);
    boolean[] aggregated = new boolean[1];
    List<Timeline.Instant> instants = instants(bucket, aggregated);
    return new Timeline(
        Long.toString(origin),
        from,
        to,
        extent,
        bucket,
        counts[1],
        counts[2],
        tracks,
        trackCount - tracks.size(),
        slices(threshold),
        buckets(threshold, bucket),
        instants,
        aggregated[0]);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** The selection's first moment (epoch ns) and its last, relative to the first. */
  private long[] bounds() throws SQLException {
    String d = "greatest(coalesce(" + selection.column("duration_ns", "BIGINT") + ", 0), 0)";
    long[] b =
        longs(
            "SELECT coalesce(min(epoch_ns(\"time\") - "
                + d
                + "), 0),"
                + " coalesce(max(epoch_ns(\"time\")) - min(epoch_ns(\"time\") - "
                + d
                + "), 0)"
                + " FROM "
                + selection.relation()
                + " WHERE \"time\" IS NOT NULL",
            2);
    return b;
  }

  /** The window's events with their track, as CTEs ending in {@code inview}. */
  private String inView(long origin, long from, long to) {
    String type = "coalesce(" + selection.column("type", "VARCHAR") + ", 'event')";
    String connectionHash = selection.column("connection_hash", "VARCHAR");
    String thread = selection.column("thread_token", "VARCHAR");
    String process = "coalesce(" + selection.column("process_token", "VARCHAR") + ", '?')";
    return "WITH sel AS (SELECT epoch_ns(\"time\") - "
        + origin
        + " AS t,"
        + " greatest(coalesce("
        + selection.column("duration_ns", "BIGINT")
        + ", 0), 0) AS d,"
        + " "
        + type
        + " AS type, "
        + process
        + " AS process,"
        + " "
        + connectionHash
        + " AS conn, "
        + thread
        + " AS thread,"
        + " coalesce("
        + selection.column("errno", "INTEGER")
        + ", 0) AS errno,"
        + " "
        + selection.column("errno_name", "VARCHAR")
        + " AS errno_name,"
        + " "
        + selection.column("syscall", "VARCHAR")
        + " AS syscall,"
        + " "
        + selection.column("tcp_old_state", "VARCHAR")
        + " AS old_state,"
        + " "
        + selection.column("tcp_new_state", "VARCHAR")
        + " AS new_state,"
        + " rowid AS rid, false AS jvm"
        + " FROM "
        + selection.relation()
        + " WHERE \"time\" IS NOT NULL"
        + (jvm
            ? " UNION ALL SELECT t, d, type, process, NULL, thread, 0, NULL, NULL, NULL, NULL, rid,"
                + " true FROM temp."
                + JVM
            : "")
        + "),"
        + " tracked AS (SELECT *,"
        + " d > 0 AND type NOT LIKE 'tcp%' AND type NOT LIKE 'process%' AS is_slice,"
        + " CASE WHEN jvm THEN 'jvm' WHEN conn IS NOT NULL AND type LIKE 'tcp%' THEN 'connection'"
        + "  WHEN thread IS NOT NULL THEN 'thread' ELSE 'process' END AS kind,"
        + " CASE WHEN jvm THEN coalesce(thread, process)"
        + "  WHEN conn IS NOT NULL AND type LIKE 'tcp%' THEN conn"
        + "  WHEN thread IS NOT NULL THEN thread ELSE process END AS id FROM sel),"
        + " keyed AS (SELECT *, hash(kind, id) AS key FROM tracked),"
        + " inview AS (SELECT *, CASE WHEN is_slice THEN t - d ELSE t END AS s FROM keyed"
        + "  WHERE (CASE WHEN is_slice THEN t - d ELSE t END) <= "
        + to
        + " AND t >= "
        + from
        + ") ";
  }

  /**
   * Keeps the window's tracks and, for the shown ones, their events (with the track's index instead
   * of its strings) in temporary tables of this connection: two scans of the selection, then every
   * part below scans a narrow table without joins. Measured on a million events: the parts
   * re-deriving tracks from the selection each time took 2.5 s; this takes a few hundred ms.
   */
  private void materialize(String inView) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("DROP TABLE IF EXISTS temp." + EVENTS);
      s.execute("DROP TABLE IF EXISTS temp." + TRACKS);
      s.execute(
          "CREATE TEMP TABLE "
              + TRACKS
              + " AS "
              + inView
              + ", ranked AS (SELECT kind, id, any_value(key) AS key, any_value(process) AS process,"
              + "  count(*) AS n,"
              + "  row_number() OVER (ORDER BY count(*) DESC, kind, id) <= "
              + MAX_TRACKS
              + " AS shown"
              + "  FROM inview GROUP BY kind, id)"
              + " SELECT kind, id, key, process, n, CASE WHEN shown THEN (row_number() OVER ("
              + "  ORDER BY shown DESC, process,"
              // a JVM track right under the kernel track of its thread (or process)
              + "  CASE WHEN kind = 'process' OR (kind = 'jvm' AND id = process) THEN 0"
              + "  WHEN kind IN ('thread', 'jvm') THEN 1 ELSE 2 END, id, kind = 'jvm') - 1)::INTEGER"
              + "  END AS idx FROM ranked");
      // Numbers only, joined on the track's hash: the strings of a million rows cost more to
      // write than everything else here. Names are read back from the selection (by rowid) for
      // the few events drawn one by one; types are kept for point events, errno names for failures.
      s.execute(
          "CREATE TEMP TABLE "
              + EVENTS
              + " AS "
              + inView
              + " SELECT tr.idx, v.t, v.d, v.s, v.is_slice, v.errno, v.rid,"
              + " CASE WHEN NOT v.is_slice THEN v.type END AS type,"
              + " CASE WHEN v.errno <> 0 THEN v.errno_name END AS errno_name"
              + " FROM inview v JOIN temp."
              + TRACKS
              + " tr ON tr.key = v.key WHERE tr.idx IS NOT NULL");
    }
  }

  private static final String TRACKS = "tracefix_timeline_tracks";
  private static final String EVENTS = "tracefix_timeline_events";
  private static final String JVM = "tracefix_timeline_jvm";

  /**
   * Keeps the JVM rows drawn beside the selection ({@link JvmRows}) in a temporary table, their
   * {@code t} the end relative to the origin as for kernel rows: the window's two scans and the
   * names of the slices drawn one by one read it instead of the store.
   */
  private void materializeJvm(long origin, long extent) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("DROP TABLE IF EXISTS temp." + JVM);
      s.execute(
          "CREATE TEMP TABLE "
              + JVM
              + " AS SELECT start_ns + d - "
              + origin
              + " AS t, d, type, process, thread, rid, "
              + JvmRows.NAME_SQL
              + " AS name, detail, thread_name FROM ("
              + JvmRows.select(store, selection, origin, origin + extent)
              + ")");
    }
  }

  private List<Timeline.Track> tracks() throws SQLException {
    Map<String, String> comms = comms();
    Map<String, String> javaThreads = javaThreadNames();
    List<Timeline.Track> tracks = new ArrayList<>();
    Map<String, Integer> kernelTracks = new HashMap<>(); // "kind id" -> index
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT kind, id, process, n FROM temp."
                    + TRACKS
                    + " WHERE idx IS NOT NULL ORDER BY idx")) {
      while (rs.next()) {
        String kind = rs.getString(1);
        String id = rs.getString(2);
        String process = rs.getString(3);
        String comm = comms.getOrDefault(process, "");
        boolean processWide = id.equals(process);
        String label =
            switch (kind) {
              case "connection" -> "connection " + shortId(id);
              case "thread" ->
                  (comm.isEmpty() ? shortId(process) : comm) + " thread " + shortId(id);
              case "jvm" ->
                  processWide
                      ? "JVM GC, safepoints"
                      : "JVM " + javaThreads.getOrDefault(id, "thread " + shortId(id));
              default -> (comm.isEmpty() ? "process" : comm) + " " + shortId(id);
            };
        // tracks come ordered so that a JVM track follows the kernel track it belongs under
        int parent =
            kind.equals("jvm")
                ? kernelTracks.getOrDefault((processWide ? "process " : "thread ") + id, -1)
                : -1;
        kernelTracks.put(kind + " " + id, tracks.size());
        tracks.add(new Timeline.Track(kind, id, process, label, rs.getLong(4), parent));
      }
    }
    return tracks;
  }

  /** The Java thread name of each shown JVM thread track, as the privacy policy kept it. */
  private Map<String, String> javaThreadNames() throws SQLException {
    Map<String, String> names = new HashMap<>();
    if (!jvm) {
      return names;
    }
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT thread, any_value(thread_name) FROM temp."
                    + JVM
                    + " WHERE thread_name IS NOT NULL AND thread IN (SELECT id FROM temp."
                    + TRACKS
                    + " WHERE kind = 'jvm' AND idx IS NOT NULL) GROUP BY thread")) {
      while (rs.next()) {
        names.put(rs.getString(1), rs.getString(2));
      }
    }
    return names;
  }

  /**
   * The comm of each shown process, from the store's {@code processes} (tokens and plain words).
   */
  private Map<String, String> comms() throws SQLException {
    Map<String, String> comms = new HashMap<>();
    if (store == null) {
      return comms;
    }
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT p.token, any_value(p.comm) FROM "
                    + store
                    + ".processes p WHERE p.token IN"
                    + " (SELECT process FROM temp."
                    + TRACKS
                    + " WHERE idx IS NOT NULL)"
                    + " GROUP BY p.token")) {
      while (rs.next()) {
        if (rs.getString(2) != null) {
          comms.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return comms;
  }

  private static String shortId(String id) {
    return id == null ? "?" : id.length() <= 12 ? id : id.substring(0, 12) + "…";
  }

  /**
   * The shortest duration drawn as its own slice: a bucket's width, raised so that no more than
   * {@link #MAX_SLICES} slices qualify.
   */
  private long sliceThreshold(long bucket) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT d FROM temp."
                    + EVENTS
                    + " WHERE is_slice AND d >= "
                    + bucket
                    + " ORDER BY d DESC LIMIT 1 OFFSET "
                    + MAX_SLICES)) {
      return rs.next() ? rs.getLong(1) + 1 : bucket;
    }
  }

  /**
   * The selection's own columns for a few events, by rowid: names and states to show; and the JVM
   * rows' names and details, by their negative ids.
   */
  private String names() {
    return "(SELECT rowid AS rid, coalesce("
        + selection.column("syscall", "VARCHAR")
        + ", "
        + selection.column("type", "VARCHAR")
        + ", 'event') AS name, "
        + selection.column("errno_name", "VARCHAR")
        + " AS errno_name, "
        + selection.column("tcp_old_state", "VARCHAR")
        + " AS old_state, "
        + selection.column("tcp_new_state", "VARCHAR")
        + " AS new_state, NULL::VARCHAR AS detail FROM "
        + selection.relation()
        + (jvm ? " UNION ALL SELECT rid, name, NULL, NULL, NULL, detail FROM temp." + JVM : "")
        + ")";
  }

  /** A slice's or instant's row of the cell's result; -1 for the store's and for JVM rows. */
  private long row(long rid) {
    return rowsArePageOffsets && rid >= 0 ? rid : -1;
  }

  private List<Timeline.Slice> slices(long threshold) throws SQLException {
    List<Timeline.Slice> slices = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT e.idx, e.s, e.d, n.name, e.errno, n.errno_name, e.rid FROM (SELECT * FROM temp."
                    + EVENTS
                    + " WHERE is_slice AND d >= "
                    + threshold
                    + " ORDER BY s, idx LIMIT "
                    + MAX_SLICES
                    + ") e JOIN "
                    + names()
                    + " n USING (rid) ORDER BY e.s, e.idx")) {
      while (rs.next()) {
        slices.add(
            new Timeline.Slice(
                rs.getInt(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getString(6),
                row(rs.getLong(7))));
      }
    }
    return slices;
  }

  /**
   * The slices shorter than {@code threshold}, summed per track and bucket. The bucket's error is
   * its most frequent errno (by number: {@code mode} over names cost 1 s of a million rows here).
   */
  private List<Timeline.Bucket> buckets(long threshold, long bucket) throws SQLException {
    Map<Integer, String> errnoNames = new HashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT errno, any_value(errno_name) FROM temp."
                    + EVENTS
                    + " WHERE errno <> 0 GROUP BY errno")) {
      while (rs.next()) {
        errnoNames.put(rs.getInt(1), rs.getString(2));
      }
    }
    List<Timeline.Bucket> buckets = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT idx, s // "
                    + bucket
                    + " AS b, count(*), count(*) FILTER (WHERE errno <> 0),"
                    + " coalesce(mode(errno) FILTER (WHERE errno <> 0), 0), sum(d)::BIGINT FROM temp."
                    + EVENTS
                    + " WHERE is_slice AND d < "
                    + threshold
                    + " GROUP BY idx, b ORDER BY idx, b")) {
      while (rs.next()) {
        long b = rs.getLong(2);
        int errno = rs.getInt(5);
        buckets.add(
            new Timeline.Bucket(
                rs.getInt(1),
                b * bucket,
                (b + 1) * bucket,
                rs.getLong(3),
                rs.getLong(4),
                errno == 0 ? null : errnoNames.getOrDefault(errno, "errno " + errno),
                rs.getLong(6)));
      }
    }
    return buckets;
  }

  /** Point events one by one, or per track, bucket and type when there are too many. */
  private List<Timeline.Instant> instants(long bucket, boolean[] aggregated) throws SQLException {
    String points = " FROM temp." + EVENTS + " WHERE NOT is_slice";
    long count = longs("SELECT count(*)" + points, 1)[0];
    aggregated[0] = count > MAX_INSTANTS;
    String sql =
        aggregated[0]
            ? "SELECT idx, (t // "
                + bucket
                + ") * "
                + bucket
                + " AS at, type, NULL, count(*), -1"
                + points
                + " GROUP BY idx, at, type ORDER BY at, idx, type"
            : "SELECT e.idx, e.t, e.type, CASE WHEN n.old_state IS NOT NULL AND n.new_state"
                + " IS NOT NULL THEN n.old_state || ' -> ' || n.new_state"
                + " ELSE coalesce(n.detail, n.errno_name) END, 1,"
                + " e.rid FROM (SELECT *"
                + points
                + ") e JOIN "
                + names()
                + " n USING (rid) ORDER BY e.t, e.idx";
    List<Timeline.Instant> instants = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        instants.add(
            new Timeline.Instant(
                rs.getInt(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                aggregated[0] ? -1 : row(rs.getLong(6))));
      }
    }
    return instants;
  }

  private long[] longs(String sql, int n) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      long[] values = new long[n];
      if (rs.next()) {
        for (int i = 0; i < n; i++) {
          values[i] = rs.getLong(i + 1);
        }
      }
      return values;
    }
  }
}

package dev.tracefix.sink.spool;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names a spool segment: {@code <capture>~<seq>.<table>.arrows}. Capture ids never contain {@code
 * ~}, and the zero-padded sequence makes name order the order the writer produced them.
 *
 * @param captureId the capture the rows belong to
 * @param seq the writer's running segment number within the capture
 * @param table where the rows go
 */
public record SegmentName(String captureId, long seq, SegmentTable table) {
  static final String SUFFIX = ".arrows";
  static final String PARTIAL = ".partial";
  private static final Pattern FILE =
      Pattern.compile("([A-Za-z0-9][A-Za-z0-9._:-]*)~([0-9]{12})\\.([a-z_]+)\\.arrows");

  /** The id recorded in {@code spool_segments}; unique across the store. */
  public String id() {
    return captureId + "~" + seq + "." + table.tableName();
  }

  public String fileName() {
    return captureId + "~" + String.format("%012d", seq) + "." + table.tableName() + SUFFIX;
  }

  static Optional<SegmentName> parse(String fileName) {
    Matcher m = FILE.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    SegmentTable table = SegmentTable.named(m.group(3));
    return table == null
        ? Optional.empty()
        : Optional.of(new SegmentName(m.group(1), Long.parseLong(m.group(2)), table));
  }
}

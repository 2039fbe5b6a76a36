package dev.tracefix.sink;

import java.util.regex.Pattern;

/**
 * Capture ids and host names become Hive partition directories ({@code host=/capture=}), so they
 * must be usable as one path segment on every engine that reads the export.
 */
final class PartitionNames {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private PartitionNames() {}

  static void check(String what, String value) {
    if (value == null || !SAFE.matcher(value).matches()) {
      throw new SinkException(
          SinkException.Kind.USER,
          what
              + " '"
              + value
              + "' is not usable: use 1-128 characters of letters, digits, '.', '_', ':' or '-',"
              + " starting with a letter or digit");
    }
  }
}

package dev.tracefix.fixloop.repro;

import dev.tracefix.fixloop.FixLoopException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The sequence a repro replays: named columns and rows in order (events or requests from a SQL
 * cell, or a CSV file). It reaches the repro as CSV with a header row (RFC 4180 quoting).
 */
public record InputTable(List<String> columns, List<List<Object>> rows) {
  public InputTable {
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      if (row.size() != columns.size()) {
        throw new FixLoopException(
            FixLoopException.Kind.USER,
            "input row "
                + (copy.size() + 1)
                + " has "
                + row.size()
                + " values for "
                + columns.size()
                + " columns "
                + columns);
      }
      copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = java.util.Collections.unmodifiableList(copy);
  }

  public int size() {
    return rows.size();
  }

  public InputTable withRows(List<List<Object>> newRows) {
    return new InputTable(columns, newRows);
  }

  public int column(String name) {
    int i = columns.indexOf(name);
    if (i < 0) {
      throw new FixLoopException(
          FixLoopException.Kind.USER, "the input has no column '" + name + "'; it has " + columns);
    }
    return i;
  }

  /** CSV text: a header row, then one line per row. */
  public String csv() {
    StringBuilder out = new StringBuilder();
    appendLine(out, columns);
    for (List<Object> row : rows) {
      appendLine(out, row);
    }
    return out.toString();
  }

  /** A content hash of the CSV text: the key of the outcome cache. */
  public String sha256() {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(csv().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public Path writeCsv(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, csv());
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.INTERNAL, "cannot write repro input " + file + ": " + e, e);
    }
  }

  public static InputTable readCsv(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.USER,
          "cannot read the repro input " + file + ": " + e.getMessage(),
          e);
    }
    List<List<String>> records = parseCsv(text);
    if (records.isEmpty()) {
      throw new FixLoopException(FixLoopException.Kind.USER, file + " has no header row");
    }
    List<String> header = records.getFirst();
    List<List<Object>> rows = new ArrayList<>();
    for (List<String> record : records.subList(1, records.size())) {
      rows.add(new ArrayList<>(record));
    }
    return new InputTable(header, rows);
  }

  /** RFC 4180 records; a final line break is optional, empty lines are skipped. */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean fieldStarted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        fieldStarted = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        fieldStarted = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (fieldStarted || field.length() > 0 || !record.isEmpty()) {
          record.add(field.toString());
          records.add(record);
        }
        record = new ArrayList<>();
        field.setLength(0);
        fieldStarted = false;
      } else {
        field.append(c);
        fieldStarted = true;
      }
    }
    if (fieldStarted || field.length() > 0 || !record.isEmpty()) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }

  private static void appendLine(StringBuilder out, List<?> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      Object value = values.get(i);
      String text = value == null ? "" : value.toString();
      if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
        text = '"' + text.replace("\"", "\"\"") + '"';
      }
      out.append(text);
    }
    out.append('\n');
  }
}

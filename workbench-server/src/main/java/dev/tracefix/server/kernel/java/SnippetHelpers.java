package dev.tracefix.server.kernel.java;

import java.util.List;

/**
 * The snippets every fresh snippet VM evaluates first: common imports, the {@code sql(...)} and
 * {@code result(...)} helpers, which call back to the {@link HostBridge}, and the thread baseline
 * the kernel compares against after a stop ({@code TracefixHost.strays()}).
 *
 * <p>{@code sql(...)} returns a {@code SqlTable}: a {@code List<Map<String, Object>>} that holds
 * one page of rows and fetches others as they are read, so a 15 M-row query costs the snippet VM a
 * page, not the rows. It holds at most the cell's {@code max_rows}; {@code truncated()} and its
 * {@code toString()} say when the query was cut there. {@code show(...)} makes a table the cell's
 * output: a {@code SqlTable} by its handle (the page then pages it from the host), a list of maps
 * by its first {@link HostBridge#SHOWN_ROWS} rows and its size; anything else is printed.
 */
final class SnippetHelpers {
  private SnippetHelpers() {}

  static final List<String> IMPORTS =
      List.of(
          "import java.util.*;",
          "import java.util.function.*;",
          "import java.util.stream.*;",
          "import java.math.*;",
          "import java.time.*;");

  /** Evaluated once the helpers are in: every thread alive now belongs to the VM, not a snippet. */
  static final String BASELINE = "TracefixHost.baseline();";

  /** Evaluates to how many threads that snippets started are alive. */
  static final String STRAYS = "TracefixHost.strays()";

  static List<String> snippets(String baseUrl, String token) {
    String host =
        """
        final class TracefixHost {
          private static final String BASE = "%s";
          private static final String TOKEN = "%s";
          private static final java.net.http.HttpClient HTTP =
              java.net.http.HttpClient.newHttpClient();
          private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
              new com.fasterxml.jackson.databind.ObjectMapper();
          private static final java.util.Set<Long> BASELINE = new java.util.HashSet<>();

          static java.util.Map<String, Object> call(String path, String argument) {
            try {
              var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(BASE + path))
                  .header("%s", TOKEN)
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(argument))
                  .build();
              var response = HTTP.send(request,
                  java.net.http.HttpResponse.BodyHandlers.ofString());
              if (response.statusCode() != 200) {
                throw new IllegalStateException(path.substring(1) + " failed: " + response.body());
              }
              return JSON.readValue(response.body(),
                  new com.fasterxml.jackson.core.type.TypeReference<
                      java.util.Map<String, Object>>() {});
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted", e);
            }
          }

          static String json(Object value) {
            try {
              return JSON.writeValueAsString(value);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }

          static void baseline() {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
              BASELINE.add(t.threadId());
            }
          }

          static long strays() {
            return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !BASELINE.contains(t.threadId()))
                .filter(t -> !t.getName().startsWith("HttpClient-"))
                .count();
          }
        }
        """
            .formatted(baseUrl, token, HostBridge.TOKEN_HEADER);
    String table =
        """
        final class SqlTable extends java.util.AbstractList<java.util.Map<String, Object>> {
          private static final int PAGE = 10_000;
          private final String handle;
          private final java.util.List<String> columns;
          private final int size;
          private final boolean truncated;
          private final String note;
          private java.util.List<java.util.List<Object>> rows;
          private long offset;

          @SuppressWarnings("unchecked")
          SqlTable(java.util.Map<String, Object> page) {
            handle = (String) page.get("handle");
            columns = java.util.List.copyOf((java.util.List<String>) page.get("columns"));
            size = Math.toIntExact(((Number) page.get("size")).longValue());
            truncated = Boolean.TRUE.equals(page.get("truncated"));
            note = (String) page.get("note");
            take(page);
          }

          @SuppressWarnings("unchecked")
          private void take(java.util.Map<String, Object> page) {
            rows = (java.util.List<java.util.List<Object>>) page.get("rows");
            offset = ((Number) page.get("offset")).longValue();
          }

          @Override
          public int size() {
            return size;
          }

          @Override
          public java.util.Map<String, Object> get(int index) {
            java.util.Objects.checkIndex(index, size);
            if (index < offset || index >= offset + rows.size()) {
              if (handle == null) {
                throw new IllegalStateException("row " + index + " is not on the host any more");
              }
              take(TracefixHost.call("/page", handle + "\\n" + index + "\\n" + PAGE));
              if (rows.isEmpty()) {
                throw new IllegalStateException("the host has no row " + index);
              }
            }
            java.util.List<Object> values = rows.get((int) (index - offset));
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
              row.put(columns.get(c), c < values.size() ? values.get(c) : null);
            }
            return row;
          }

          /** The host's name for the table; null when all its rows are here. */
          String handle() {
            return handle;
          }

          /** Column names, in order. */
          public java.util.List<String> columns() {
            return columns;
          }

          /** Whether the query had more rows than the cell's max_rows and was cut there. */
          public boolean truncated() {
            return truncated;
          }

          @Override
          public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(size).append(size == 1 ? " row " : " rows ").append(columns);
            int shown = Math.min(size, 10);
            for (int i = 0; i < shown; i++) {
              sb.append("\\n  ").append(get(i));
            }
            if (size > shown) {
              sb.append("\\n  ... ").append(size - shown).append(" more");
            }
            if (note != null) {
              sb.append("\\n").append(note);
            }
            return sb.toString();
          }
        }
        """;
    String show =
        """
        void show(Object value) {
          if (value instanceof SqlTable t && t.handle() != null) {
            TracefixHost.call("/show", "handle\\n" + t.handle());
            return;
          }
          if (value instanceof java.util.List<?> list
              && list.stream().limit(1).allMatch(r -> r instanceof java.util.Map)) {
            var columns = new java.util.ArrayList<String>();
            if (!list.isEmpty()) {
              for (Object key : ((java.util.Map<?, ?>) list.get(0)).keySet()) {
                columns.add(String.valueOf(key));
              }
            }
            var rows = new java.util.ArrayList<java.util.List<Object>>();
            for (int i = 0; i < Math.min(list.size(), %d); i++) {
              var row = (java.util.Map<?, ?>) list.get(i);
              var values = new java.util.ArrayList<Object>();
              for (String column : columns) {
                Object v = row.get(column);
                values.add(v == null || v instanceof Number || v instanceof String
                    || v instanceof Boolean ? v : String.valueOf(v));
              }
              rows.add(values);
            }
            TracefixHost.call("/show", "rows\\n" + TracefixHost.json(java.util.Map.of(
                "columns", columns, "rows", rows, "totalRows", list.size())));
            return;
          }
          System.out.println(value);
        }
        """
            .formatted(HostBridge.SHOWN_ROWS);
    return List.of(
        host,
        table,
        "SqlTable sql(String query) { return new SqlTable(TracefixHost.call(\"/sql\", query)); }",
        "SqlTable result(String name) { return new SqlTable(TracefixHost.call(\"/result\","
            + " name)); }",
        show);
  }
}

package dev.tracefix.server.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.capture.privacy.Attestation;
import dev.tracefix.server.ServerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One row of the {@code captures} table as the report needs it. Stores made before schema version 2
 * lack the provenance columns and older captures leave them NULL: those read as absent, never as an
 * error.
 *
 * @param attestation the capture's privacy attestation; empty when not recorded
 * @param attestationProblem why a recorded attestation could not be read; empty when it could
 */
public record CaptureFacts(
    String captureId,
    String host,
    String startedAt,
    String endedAt,
    List<String> probes,
    long eventCount,
    long dropCount,
    String policyHash,
    List<String> keyIds,
    Optional<Attestation> attestation,
    Optional<String> attestationProblem) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> COLUMNS =
      List.of(
          "capture_id",
          "host",
          "started_at",
          "ended_at",
          "probes",
          "event_count",
          "drop_count",
          "key_id",
          "policy_hash",
          "key_ids",
          "attestation");

  public CaptureFacts {
    probes = List.copyOf(probes);
    keyIds = List.copyOf(keyIds);
  }

  /** Every capture in the store, oldest first; empty when the store has no captures table. */
  public static List<CaptureFacts> load(Connection db) {
    try {
      Map<String, String> types = columnTypes(db);
      if (types.isEmpty()) {
        return List.of();
      }
      StringBuilder sql = new StringBuilder("SELECT ");
      for (int i = 0; i < COLUMNS.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(text(COLUMNS.get(i), types));
      }
      String order = types.containsKey("started_at") ? "started_at, capture_id" : "1";
      sql.append(" FROM captures ORDER BY ").append(order);
      List<CaptureFacts> captures = new ArrayList<>();
      try (PreparedStatement s = db.prepareStatement(sql.toString());
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          captures.add(of(rs));
        }
      }
      return captures;
    } catch (SQLException e) {
      throw new ServerException(
          ServerException.Kind.IO, "cannot read the captures table: " + e.getMessage(), e);
    }
  }

  private static CaptureFacts of(ResultSet rs) throws SQLException {
    List<String> keyIds = list(rs.getString(10));
    if (keyIds.isEmpty() && rs.getString(8) != null) {
      keyIds = List.of(rs.getString(8));
    }
    String json = rs.getString(11);
    Optional<Attestation> attestation = Optional.empty();
    Optional<String> problem = Optional.empty();
    if (json != null && !json.isBlank()) {
      try {
        attestation = Optional.of(parse(JSON.readTree(json)));
      } catch (Exception e) {
        problem = Optional.of("recorded but unreadable (" + e.getClass().getSimpleName() + ")");
      }
    }
    return new CaptureFacts(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        list(rs.getString(5)),
        number(rs.getString(6)),
        number(rs.getString(7)),
        rs.getString(9),
        keyIds,
        attestation,
        problem);
  }

  /** Reads the attestation JSON leniently: a field the writer did not know yet reads as empty. */
  static Attestation parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    List<String> keyIds = new ArrayList<>();
    node.path("keyIds").forEach(k -> keyIds.add(k.asText()));
    return new Attestation(
        node.path("policyName").asText(""),
        node.path("policyHash").asText(""),
        keyIds,
        counts(node.path("fieldActions")),
        counts(node.path("recognizerHits")),
        node.path("noPayloadBytesCaptured").asBoolean(false));
  }

  private static Map<String, Long> counts(JsonNode node) {
    Map<String, Long> counts = new LinkedHashMap<>();
    node.properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
    return counts;
  }

  /**
   * The captures table's columns as the connection resolves the name (a notebook's connection finds
   * it through its search path, not in its current schema); empty when there is none.
   */
  private static Map<String, String> columnTypes(Connection db) throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    try (PreparedStatement s = db.prepareStatement("SELECT * FROM captures LIMIT 0");
        ResultSet rs = s.executeQuery()) {
      var meta = rs.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        types.put(meta.getColumnName(i), meta.getColumnTypeName(i));
      }
    } catch (SQLException noTable) {
      if (!String.valueOf(noTable.getMessage()).contains("captures")) {
        throw noTable;
      }
    }
    return types;
  }

  /** The column as text; lists joined by commas; a column this store lacks reads as NULL. */
  private static String text(String column, Map<String, String> types) {
    String type = types.get(column);
    if (type == null) {
      return "NULL";
    }
    String quoted = '"' + column + '"';
    return type.endsWith("[]")
        ? "array_to_string(" + quoted + ", ',')"
        : "CAST(" + quoted + " AS VARCHAR)";
  }

  private static List<String> list(String joined) {
    if (joined == null || joined.isBlank()) {
      return List.of();
    }
    return Arrays.stream(joined.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static long number(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

package dev.tracefix.server.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.temporal.TemporalAccessor;
import java.util.Date;

/** The one ObjectMapper of the HTTP layer. */
final class JsonMapping {
  private JsonMapping() {}

  static ObjectMapper create() {
    // Table cells hold whatever JDBC returned (DuckDB gives java.time values, timestamps,
    // arrays, structs). They are shown, not computed with, so their text form is what the
    // page needs; without this, one date column would make a whole response fail.
    SimpleModule sqlValues = new SimpleModule("tracefix-sql-values");
    sqlValues.addSerializer(TemporalAccessor.class, ToStringSerializer.instance);
    sqlValues.addSerializer(Date.class, ToStringSerializer.instance);
    sqlValues.addSerializer(java.sql.Array.class, ToStringSerializer.instance);
    sqlValues.addSerializer(java.sql.Struct.class, ToStringSerializer.instance);
    return new ObjectMapper()
        .registerModule(sqlValues)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}

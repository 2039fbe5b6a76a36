package dev.tracefix.server.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The Jupyter nbformat 4.5 JSON schema (a copy of the published draft-04 schema in test resources),
 * checked by a JSON-schema validator library.
 */
public final class NbformatSchema {
  private static final Schema SCHEMA = load();

  private NbformatSchema() {}

  /** Every violation of {@code notebook} against nbformat 4.5; empty when it is valid. */
  public static List<String> violations(JsonNode notebook) {
    return SCHEMA.validate(notebook).stream().map(Object::toString).toList();
  }

  private static Schema load() {
    try (InputStream in =
        NbformatSchema.class.getResourceAsStream("/nbformat/nbformat.v4.5.schema.json")) {
      if (in == null) {
        throw new IllegalStateException("nbformat schema missing from test resources");
      }
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

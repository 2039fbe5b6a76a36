package dev.tracefix.server.http;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A workbench over a {@link TraceStore} with the {@code trace.md} notebook of the views' tests. */
final class TraceViewsFixture {
  static final String NOTEBOOK = "trace.md";

  private TraceViewsFixture() {}

  static WorkbenchFixture start(Path dir, int bulkEvents) throws Exception {
    return start(dir, TraceStore.withBulk(bulkEvents));
  }

  /** The same notebook over a store {@code seed} fills. */
  static WorkbenchFixture start(Path dir, WorkbenchFixture.StoreSeed seed) throws Exception {
    WorkbenchFixture fixture = new WorkbenchFixture(dir, seed);
    try (InputStream in = TraceViewsFixture.class.getResourceAsStream("/views/" + NOTEBOOK)) {
      Files.copy(in, fixture.notebooksDir.resolve(NOTEBOOK));
    }
    return fixture;
  }
}

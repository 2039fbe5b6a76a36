package dev.tracefix.server.run;

import dev.tracefix.server.message.CellOutput;
import java.util.Map;

/**
 * Runs one kind of action cell (minimize, bisect, patch). The body of an action cell is a small
 * key/value block ({@code key: value} lines); implementations validate it and return an {@link
 * CellOutput.Error} for bad input instead of throwing.
 */
public interface ActionCellRunner {
  CellOutput run(Map<String, String> body, CellContext context);
}

package dev.tracefix.server.kernel.java;

import java.util.List;
import java.util.Map;

/** What Java snippets may ask the host for: rows of a query and rows of a named result. */
public interface HostData {
  List<Map<String, Object>> sql(String query) throws Exception;

  List<Map<String, Object>> result(String name) throws Exception;
}

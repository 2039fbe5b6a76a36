package dev.tracefix.server.parameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** $name substitution shared by notebooks and saved queries. */
class SqlParametersTest {
  @Test
  void referencesBecomeLiteralsOutsideStringsAndComments() {
    String sql = "SELECT $a, '$a', \"$a\", $$ $a $$, $1 -- $a\n/* $a */ FROM t WHERE x = $b";
    assertEquals(
        "SELECT 'v', '$a', \"$a\", $$ $a $$, $1 -- $a\n/* $a */ FROM t WHERE x = 42",
        SqlParameters.apply(sql, Map.of("a", "v", "b", "42")));
    assertEquals(List.of("a", "b"), SqlParameters.references(sql));
  }

  @Test
  void aValueCanNeverCloseItsQuote() {
    assertEquals(
        "SELECT 'x'' OR 1=1 --'", SqlParameters.apply("SELECT $p", Map.of("p", "x' OR 1=1 --")));
    assertEquals("SELECT 'a\\''' ", SqlParameters.apply("SELECT $p ", Map.of("p", "a\\'")));
  }

  @Test
  void aReferenceWithoutAValueNamesIt() {
    var missing =
        assertThrows(
            SqlParameters.Missing.class, () -> SqlParameters.apply("SELECT $nope", Map.of()));
    assertEquals("nope", missing.name());
  }
}

package dev.tracefix.server.http;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;

/**
 * What the browser scenarios need beside {@link WorkbenchFixture}'s notebooks: a notebook with a
 * 10M-row result, one with a runaway query, one with a runaway Java loop, a saved query with a
 * parameter, and the notebook folder as a git repository with one commit (so Save, History and Diff
 * have something to show).
 */
final class BrowserFixtures {
  private BrowserFixtures() {}

  static void write(Path notebooks, Path queries) throws Exception {
    Files.writeString(
        notebooks.resolve("big.md"),
        "# Ten million rows\n\n```sql name=big\nSELECT range AS i, range % 7 AS m FROM range(10000000)\n```\n");
    Files.writeString(
        notebooks.resolve("runaway.md"),
        "# Runaway\n\n```sql id=spin\nSELECT count(*) FROM range(100000000000) a\n```\n");
    Files.writeString(
        notebooks.resolve("spin.md"),
        "# Spin\n\n```java id=calc\nvar x = 1;\n```\n\n```java id=shown\nshow(sql(\"SELECT range AS i FROM range(5000)\"));\n```\n\nA loop that never ends:\n\n```java id=spin\nwhile (true) { }\n```\n");
    Files.createDirectories(queries);
    Files.writeString(
        queries.resolve("busy-peers.sql"),
        "-- title: busy peers\n-- parameters: $min_retx = 2\n"
            + "-- description: peers with at least min_retx retransmits\n"
            + "SELECT peer, count(*) AS retx FROM retransmits GROUP BY peer HAVING count(*) >= $min_retx"
            + " ORDER BY retx DESC\n");
    try (Git git = Git.init().setDirectory(notebooks.toFile()).setInitialBranch("main").call()) {
      git.getRepository().getConfig().setString("user", null, "name", "Test Person");
      git.getRepository().getConfig().setString("user", null, "email", "test@example.invalid");
      git.getRepository().getConfig().save();
      git.add().addFilepattern(".").call();
      git.commit().setMessage("Start the incident notebooks").setSign(false).call();
    }
  }
}

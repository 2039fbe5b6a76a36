package dev.tracefix.server.llm;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The target repository's text files, chunked by lines and embedded with all-MiniLM-L6-v2, which
 * runs in-process from its Maven jar (ONNX, 384 dimensions; nothing is downloaded), in an in-memory
 * vector index. Built on first use per repository and rebuilt when a file changes. Snippets found
 * here are untrusted text on their way out: they reach a model only inside a request the privacy
 * gateway cleared.
 */
final class RepositoryIndex {
  static final int CHUNK_LINES = 30;
  static final int OVERLAP_LINES = 10;
  private static final int MAX_FILES = 1500;
  private static final int MAX_CHUNKS = 4000;
  private static final long MAX_FILE_BYTES = 200 * 1024;
  private static final List<String> SKIPPED_DIRS =
      List.of(".git", "target", "build", "node_modules", "dist", ".idea");
  private static final Map<Path, RepositoryIndex> CACHE = new ConcurrentHashMap<>();
  private static volatile EmbeddingModel model;

  /** A piece of a file: {@code fromLine}..{@code toLine} (1-based, inclusive). */
  record Snippet(String file, int fromLine, int toLine, String text, double score) {
    String header() {
      return file + ":" + fromLine + "-" + toLine;
    }
  }

  private final String stamp;
  private final InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
  private final List<Snippet> chunks = new ArrayList<>();

  private RepositoryIndex(String stamp) {
    this.stamp = stamp;
  }

  /** The index of {@code repo}, built (or rebuilt after a change) on demand. */
  static RepositoryIndex of(Path repo) {
    Path key = repo.toAbsolutePath().normalize();
    List<Path> files = files(key);
    String stamp = stamp(files);
    RepositoryIndex cached = CACHE.get(key);
    if (cached != null && cached.stamp.equals(stamp)) {
      return cached;
    }
    RepositoryIndex index = new RepositoryIndex(stamp);
    index.build(key, files);
    CACHE.put(key, index);
    return index;
  }

  static EmbeddingModel embeddings() {
    EmbeddingModel m = model;
    if (m == null) {
      synchronized (RepositoryIndex.class) {
        if (model == null) {
          model = new AllMiniLmL6V2EmbeddingModel();
        }
        m = model;
      }
    }
    return m;
  }

  int size() {
    return chunks.size();
  }

  /** The {@code k} chunks nearest to {@code query}. */
  List<Snippet> search(String query, int k) {
    if (chunks.isEmpty() || query == null || query.isBlank()) {
      return List.of();
    }
    Embedding q = embeddings().embed(query).content();
    List<Snippet> found = new ArrayList<>();
    for (EmbeddingMatch<TextSegment> match :
        store
            .search(EmbeddingSearchRequest.builder().queryEmbedding(q).maxResults(k).build())
            .matches()) {
      Snippet s = chunks.get(Integer.parseInt(match.embeddingId()));
      found.add(new Snippet(s.file(), s.fromLine(), s.toLine(), s.text(), match.score()));
    }
    return found;
  }

  /** The chunks of one file nearest to {@code query} (code near a culprit's change). */
  List<Snippet> searchIn(String file, String query, int k) {
    return search(query, Math.min(chunks.size(), 50)).stream()
        .filter(s -> s.file().equals(file))
        .limit(k)
        .toList();
  }

  private void build(Path repo, List<Path> files) {
    List<TextSegment> segments = new ArrayList<>();
    for (Path file : files) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        continue; // binary or unreadable: nothing to retrieve
      }
      String rel = repo.relativize(file).toString().replace('\\', '/');
      for (int from = 0;
          from < lines.size() && chunks.size() < MAX_CHUNKS;
          from += CHUNK_LINES - OVERLAP_LINES) {
        int to = Math.min(lines.size(), from + CHUNK_LINES);
        String text = String.join("\n", lines.subList(from, to));
        if (!text.isBlank()) {
          chunks.add(new Snippet(rel, from + 1, to, text, 0));
          segments.add(TextSegment.from(rel + "\n" + text));
        }
        if (to == lines.size()) {
          break;
        }
      }
    }
    if (segments.isEmpty()) {
      return;
    }
    List<Embedding> vectors = embeddings().embedAll(segments).content();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      ids.add(Integer.toString(i));
    }
    store.addAll(ids, vectors, segments);
  }

  private static List<Path> files(Path repo) {
    try (Stream<Path> walk = Files.walk(repo)) {
      return walk.filter(Files::isRegularFile)
          .filter(
              p -> {
                Path rel = repo.relativize(p);
                for (Path part : rel) {
                  if (SKIPPED_DIRS.contains(part.toString())) {
                    return false;
                  }
                }
                try {
                  return Files.size(p) <= MAX_FILE_BYTES;
                } catch (IOException e) {
                  return false;
                }
              })
          .sorted()
          .limit(MAX_FILES)
          .toList();
    } catch (IOException e) {
      throw new LlmException(
          LlmException.Kind.CONFIG, "cannot read the repository " + repo + ": " + e, e);
    }
  }

  private static String stamp(List<Path> files) {
    StringBuilder sb = new StringBuilder();
    for (Path f : files) {
      try {
        FileTime t = Files.getLastModifiedTime(f);
        sb.append(f)
            .append('@')
            .append(t.toMillis())
            .append('/')
            .append(Files.size(f))
            .append('\n');
      } catch (IOException e) {
        sb.append(f).append("@?\n");
      }
    }
    return Exchange.sha256(sb.toString());
  }
}

package dev.tracefix.fixloop.patch;

/**
 * A file's new content on top of the bad commit: {@code content} null deletes it; {@code
 * executable} applies to a file that does not exist yet (existing files keep their mode).
 */
public record FileEdit(String path, String content, boolean executable) {
  public static FileEdit write(String path, String content) {
    return new FileEdit(path, content, false);
  }

  public static FileEdit delete(String path) {
    return new FileEdit(path, null, false);
  }
}

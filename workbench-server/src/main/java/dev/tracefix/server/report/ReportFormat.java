package dev.tracefix.server.report;

import dev.tracefix.server.ServerException;
import java.nio.file.Path;
import java.util.Locale;

/** The two shapes a postmortem report is written in. */
public enum ReportFormat {
  MARKDOWN("md", "text/markdown; charset=utf-8"),
  HTML("html", "text/html; charset=utf-8");

  private final String word;
  private final String contentType;

  ReportFormat(String word, String contentType) {
    this.word = word;
    this.contentType = contentType;
  }

  public String word() {
    return word;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * {@code md}, {@code markdown}, {@code html} or {@code htm}, any case.
   *
   * @throws ServerException NOT_FOUND naming the accepted words
   */
  public static ReportFormat parse(String word) {
    String w = word == null ? "" : word.strip().toLowerCase(Locale.ROOT);
    return switch (w) {
      case "md", "markdown" -> MARKDOWN;
      case "html", "htm" -> HTML;
      default ->
          throw new ServerException(
              ServerException.Kind.NOT_FOUND, "no report format '" + word + "'; use md or html");
    };
  }

  /** The format an output file's extension asks for ({@code .md} or {@code .html}). */
  public static ReportFormat ofFile(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      throw new ServerException(
          ServerException.Kind.NOT_FOUND,
          file + ": the report file needs a .md or .html extension");
    }
    return parse(name.substring(dot + 1));
  }
}

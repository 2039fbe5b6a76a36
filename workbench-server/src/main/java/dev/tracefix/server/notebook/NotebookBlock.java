package dev.tracefix.server.notebook;

/** A run of prose or one cell; a notebook is the concatenation of its blocks' text. */
public sealed interface NotebookBlock permits NotebookBlock.Prose, Cell {

  /** The exact text this block occupies in the file. */
  String text();

  /** Markdown between cells, kept verbatim (including fences that name no cell kind). */
  record Prose(String text) implements NotebookBlock {}
}

package dev.tracefix.server.run;

/**
 * A cell edit made from a source that is no longer the cell's source on disk: someone (an editor,
 * git, another page) changed the same cell since the edit started. Nothing is written; the caller
 * gets both versions to merge by hand.
 */
public final class CellEditConflict extends RuntimeException {
  private final String cellId;
  private final String onDisk;
  private final String yours;

  CellEditConflict(String notebook, String cellId, String onDisk, String yours) {
    super(
        notebook
            + ": cell '"
            + cellId
            + "' was changed on disk since this edit started from it; your edit was not saved."
            + " Both versions are in this answer: merge them and save again");
    this.cellId = cellId;
    this.onDisk = onDisk;
    this.yours = yours;
  }

  public String cellId() {
    return cellId;
  }

  /** The cell's source in the file now. */
  public String onDisk() {
    return onDisk;
  }

  /** The source the refused edit would have written. */
  public String yours() {
    return yours;
  }
}

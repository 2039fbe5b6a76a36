package inventory;

/** When a reservation takes the slow path, and how slow that path is. */
final class BulkPolicy {
  /** Carts above this serialized size are bulk reservations. */
  static final int THRESHOLD_BYTES = 4096;

  /** Bulk reservations lock every line item before they reserve; this takes about 150 ms. */
  static final long LOCK_ALL_ITEMS_MS = 150;

  private BulkPolicy() {}

  static boolean isBulk(int cartBytes) {
    return cartBytes > THRESHOLD_BYTES;
  }
}

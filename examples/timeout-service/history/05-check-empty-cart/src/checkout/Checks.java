package checkout;

import inventory.InventoryServer;

/** The service checks: run by check.sh; exit status 1 when any check fails. */
public final class Checks {
  private static int failures;

  public static void main(String[] args) throws Exception {
    try (InventoryServer inventory = new InventoryServer(0)) {
      CheckoutClient checkout = new CheckoutClient(inventory.port());
      Replay.warmUp(checkout);
      check("a small cart is reserved", () -> checkout.reserve(CheckoutClient.cartOfSize(300)));
      check("an empty cart is reserved", () -> checkout.reserve(CheckoutClient.cartOfSize(0)));
      check("a bulk cart is reserved", () -> checkout.reserve(CheckoutClient.cartOfSize(8000)));
    }
    System.out.println(failures == 0 ? "all checks passed" : failures + " check(s) failed");
    System.exit(failures == 0 ? 0 : 1);
  }

  interface Body {
    String run() throws Exception;
  }

  private static void check(String name, Body body) {
    try {
      String reply = body.run();
      System.out.println("ok   " + name + " (" + reply.trim() + ")");
    } catch (Exception e) {
      failures++;
      System.out.println("FAIL " + name + ": " + e);
    }
  }
}

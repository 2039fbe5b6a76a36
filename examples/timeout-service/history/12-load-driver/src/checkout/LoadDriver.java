package checkout;

import java.net.http.HttpTimeoutException;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives checkout against a running inventory for a soak test: a steady mix of ordinary carts
 * and about one bulk cart in ten.
 *
 * <p>Usage: LoadDriver INVENTORY_PORT DURATION_SECONDS [REQUESTS_PER_SECOND]
 */
public final class LoadDriver {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    CheckoutClient checkout = new CheckoutClient(port);
    Random sizes = new Random(42); // the same cart mix on every run
    AtomicLong reserved = new AtomicLong();
    AtomicLong timedOut = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    // the clock only releases requests; workers send them, so a slow reply never delays the next
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    ExecutorService workers = Executors.newFixedThreadPool(8);
    Runnable oneReservation =
        () -> {
          int bytes;
          synchronized (sizes) {
            bytes = sizes.nextInt(10) == 0 ? 5000 + sizes.nextInt(4000) : 200 + sizes.nextInt(1000);
          }
          try {
            checkout.reserve(CheckoutClient.cartOfSize(bytes));
            reserved.incrementAndGet();
          } catch (HttpTimeoutException e) {
            timedOut.incrementAndGet();
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        };
    clock.scheduleAtFixedRate(
        () -> workers.execute(oneReservation),
        0,
        1_000_000 / perSecond,
        TimeUnit.MICROSECONDS);
    for (int s = 1; s <= seconds; s++) {
      Thread.sleep(1000);
      System.out.printf(
          "t=%ds reserved=%d timed_out=%d failed=%d%n",
          s, reserved.get(), timedOut.get(), failed.get());
    }
    clock.shutdownNow();
    workers.shutdownNow();
    System.exit(0);
  }
}

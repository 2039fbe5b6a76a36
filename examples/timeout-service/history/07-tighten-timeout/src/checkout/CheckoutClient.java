package checkout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Checkout's view of inventory: reserve the stock for a serialized cart. */
public final class CheckoutClient {
  /** How long checkout waits for inventory before it gives up; inventory answers in ~5 ms. */
  static final Duration INVENTORY_TIMEOUT = Duration.ofMillis(50);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final URI reserveUri;
  private final AtomicLong nextRequestId = new AtomicLong(1);

  public CheckoutClient(int inventoryPort) {
    this.reserveUri = URI.create("http://127.0.0.1:" + inventoryPort + "/reserve");
  }

  /**
   * Reserves the stock for a cart.
   *
   * @throws java.net.http.HttpTimeoutException when inventory does not answer in time
   */
  public String reserve(byte[] cart) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(reserveUri)
            .timeout(INVENTORY_TIMEOUT)
            .header("Content-Type", "application/octet-stream")
            .header("X-Request-Id", "checkout-" + nextRequestId.getAndIncrement())
            .POST(BodyPublishers.ofByteArray(cart))
            .build();
    HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("inventory answered " + response.statusCode());
    }
    return response.body();
  }

  /** A cart serialized to exactly {@code bytes} bytes. */
  public static byte[] cartOfSize(int bytes) {
    byte[] cart = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      cart[i] = (byte) ('a' + i % 26);
    }
    return cart;
  }
}

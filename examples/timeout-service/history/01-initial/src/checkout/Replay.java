package checkout;

import inventory.InventoryServer;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Replays a sequence of reservations against a fresh inventory server.
 *
 * <p>Usage: Replay [INPUT_CSV]. The CSV has a header row with a {@code bytes} column (the
 * serialized cart size of each reservation). Exit status: 0 all reserved, 1 a reservation timed
 * out, 3 the input could not be read.
 */
public final class Replay {
  /** Used without an input file: ordinary carts and one bulk cart. */
  static final List<Integer> BUILT_IN = List.of(312, 845, 268, 6144, 530);

  public static void main(String[] args) throws Exception {
    List<Integer> sizes;
    try {
      sizes = args.length > 0 ? readSizes(Path.of(args[0])) : BUILT_IN;
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("replay: cannot read input: " + e.getMessage());
      System.exit(3);
      return;
    }
    System.exit(replay(sizes));
  }

  static int replay(List<Integer> sizes) throws IOException, InterruptedException {
    try (InventoryServer inventory = new InventoryServer(0)) {
      CheckoutClient checkout = new CheckoutClient(inventory.port());
      warmUp(checkout);
      for (int i = 0; i < sizes.size(); i++) {
        int bytes = sizes.get(i);
        try {
          checkout.reserve(CheckoutClient.cartOfSize(bytes));
        } catch (HttpTimeoutException e) {
          System.out.println("row " + (i + 1) + ": bytes=" + bytes + " timed out");
          return 1;
        }
      }
      System.out.println("replayed " + sizes.size() + " reservations, all reserved");
      return 0;
    }
  }

  /**
   * Sends tiny reservations until three in a row succeed, so that class loading, JIT and the
   * first connection do not count against the replayed requests.
   */
  static void warmUp(CheckoutClient checkout) throws IOException, InterruptedException {
    int inARow = 0;
    for (int attempt = 0; attempt < 50 && inARow < 3; attempt++) {
      try {
        checkout.reserve(CheckoutClient.cartOfSize(1));
        inARow++;
      } catch (HttpTimeoutException e) {
        inARow = 0;
      }
    }
  }

  static List<Integer> readSizes(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(csv + " is empty; expected a header with 'bytes'");
    }
    int column = Arrays.asList(lines.get(0).trim().split(",")).indexOf("bytes");
    if (column < 0) {
      throw new IllegalArgumentException(csv + ": header has no 'bytes' column");
    }
    List<Integer> sizes = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        sizes.add(Integer.parseInt(line.split(",", -1)[column].trim()));
      }
    }
    return sizes;
  }
}

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A small service for flight-recorder tests, run with the source launcher. For each value named
 * on its command line, a thread named after the value throws an exception whose message carries
 * it, writes and reads a file whose name carries it, talks to a loopback echo server over a socket
 * whose host name is the value, contends for a monitor and parks. Then it collects garbage.
 * Usage: java PlantedService.java DIR VALUE...
 */
public class PlantedService {
  private static final Object LOCK = new Object();

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread echo = new Thread(() -> echo(server), "echo");
      echo.setDaemon(true);
      echo.start();
      List<Thread> workers = new ArrayList<>();
      for (int i = 1; i < args.length; i++) {
        String value = args[i];
        int index = i;
        Thread t = new Thread(() -> work(dir, index, value, server.getLocalPort()), value);
        workers.add(t);
        t.start();
      }
      for (Thread t : workers) {
        t.join();
      }
    }
    byte[][] garbage = new byte[64][];
    for (int i = 0; i < 2048; i++) {
      garbage[i % 64] = new byte[64 * 1024];
    }
    System.gc();
    System.out.println("done " + (args.length - 1) + " " + garbage.length);
  }

  private static void work(Path dir, int index, String value, int port) {
    try {
      try {
        throw new IllegalStateException("lookup failed for " + value);
      } catch (IllegalStateException expected) {
        // thrown for the recorder
      }
      Path file = dir.resolve("f-" + index + "-" + value.replaceAll("[^A-Za-z0-9@._:+-]", "_"));
      Files.writeString(file, value);
      Files.readString(file);
      byte[] loopback = {127, 0, 0, 1};
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getByAddress(value, loopback), port));
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] line = (value + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(line);
        out.flush();
        in.readNBytes(line.length);
      }
      synchronized (LOCK) {
        LockSupport.parkNanos(5_000_000);
      }
      LockSupport.parkNanos(2_000_000);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void echo(ServerSocket server) {
    while (true) {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) > 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (Exception e) {
        return;
      }
    }
  }
}

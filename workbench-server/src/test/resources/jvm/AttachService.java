import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A long-running service for tests that attach to a JVM by pid, run with the source launcher. It
 * prints "ready", then waits for a line on stdin before it works, so a test can start a capture
 * first. For value i (1-based) of its command line, on a thread named after the value: throws and
 * catches one IllegalStateException whose message carries the value, writes a file whose name
 * carries it, makes exactly one socket write of 1000+i bytes to a loopback peer through a host name
 * that is the value (the peer answers with one byte), and parks 20 ms on a Pause. Then it prints
 * "done N". On a second line ("burst") it makes 10 connects to a closed loopback port
 * (ECONNREFUSED), then for 2.5 s parks 0.2 ms on a Blip every 10 ms (too short for the recorder's
 * usual 1 ms threshold), and prints "burst done". It runs until stdin closes.
 * Usage: java AttachService.java DIR VALUE...
 */
public class AttachService {
  /** What the workers park on: the recorder names its class. */
  static final class Pause {}

  private static final Pause PAUSE = new Pause();

  /** What the short parks of the burst phase park on. */
  static final class Blip {}

  private static final Blip BLIP = new Blip();

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread peer = new Thread(() -> peer(server), "peer");
      peer.setDaemon(true);
      peer.start();
      System.out.println("ready");
      System.out.flush();
      if (stdin.readLine() == null) {
        return;
      }
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
      System.out.println("done " + workers.size());
      System.out.flush();
      if (stdin.readLine() == null) {
        return;
      }
      burst();
      System.out.println("burst done");
      System.out.flush();
      while (stdin.readLine() != null) {
        // runs until the test closes stdin
      }
    }
  }

  private static void work(Path dir, int index, String value, int port) {
    try {
      try {
        throw new IllegalStateException("lookup failed for " + value);
      } catch (IllegalStateException expected) {
        // thrown for the recorder
      }
      String safeName = value.replaceAll("[^A-Za-z0-9@._:+-]", "_");
      Files.writeString(dir.resolve("f-" + index + "-" + safeName), value);
      byte[] loopback = {127, 0, 0, 1};
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getByAddress(value, loopback), port));
        OutputStream out = s.getOutputStream();
        out.write(new byte[1000 + index]);
        out.flush();
        s.shutdownOutput();
        s.getInputStream().readNBytes(1);
      }
      LockSupport.parkNanos(PAUSE, 20_000_000);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void burst() throws Exception {
    InetAddress host = InetAddress.getLoopbackAddress();
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, host)) {
      closed = probe.getLocalPort();
    }
    for (int i = 0; i < 10; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, closed));
      } catch (java.net.ConnectException expected) {
        // refused: what the trigger counts
      }
    }
    long until = System.nanoTime() + 2_500_000_000L;
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(BLIP, 200_000);
      Thread.sleep(10);
    }
  }

  /** Reads each connection to its end, then answers one byte. */
  private static void peer(ServerSocket server) {
    while (true) {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        in.readAllBytes();
        s.getOutputStream().write('!');
      } catch (Exception e) {
        return;
      }
    }
  }
}

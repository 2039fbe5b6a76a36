import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;

/**
 * A small service whose kernel and flight-recorder events are joined by tests, run with the
 * source launcher under a kernel capture. It plants, each on a thread of its own name:
 * "writer": socket writes of sizes 1001..1000+N to a loopback peer (one syscall and one
 * jdk.SocketWrite each); "reader": reads whose reply the peer holds back 30 ms; "connector":
 * connects to a closed port (ECONNREFUSED, then a ConnectException); "holder" and "contender":
 * a monitor held 30 ms while another thread blocks on it; "io": writes to /dev/null while the
 * main thread collects garbage. Usage: java JoinService.java WRITES
 */
public class JoinService {
  static final class Lock {}

  private static final Lock LOCK = new Lock();

  public static void main(String[] args) throws Exception {
    int writes = Integer.parseInt(args[0]);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
      start("peer", () -> peer(server));
      run("writer", () -> writer(loopback, server.getLocalPort(), writes));
      run("reader", () -> reader(loopback, server.getLocalPort()));
      run("connector", () -> connector(loopback));
      contention();
      garbageWhileWriting();
    }
    System.out.println("done");
  }

  private static void writer(InetAddress host, int port, int writes) throws Exception {
    try (Socket s = new Socket(host, port)) {
      OutputStream out = s.getOutputStream();
      out.write('W');
      for (int i = 1; i <= writes; i++) {
        out.write(new byte[1000 + i]);
        out.flush();
        Thread.sleep(5);
      }
    }
  }

  private static void reader(InetAddress host, int port) throws Exception {
    try (Socket s = new Socket(host, port)) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write('R');
      for (int i = 0; i < 3; i++) {
        out.write('?');
        out.flush();
        in.readNBytes(1); // the peer answers after 30 ms
      }
    }
  }

  private static void connector(InetAddress host) throws Exception {
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, host)) {
      closed = probe.getLocalPort();
    }
    for (int i = 0; i < 3; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, closed));
      } catch (ConnectException expected) {
        Thread.sleep(20);
      }
    }
  }

  private static void contention() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    Thread holder =
        start(
            "holder",
            () -> {
              synchronized (LOCK) {
                held.countDown();
                Thread.sleep(30);
              }
            });
    held.await();
    Thread contender =
        start(
            "contender",
            () -> {
              synchronized (LOCK) {
                LOCK.hashCode();
              }
            });
    holder.join();
    contender.join();
  }

  private static void garbageWhileWriting() throws Exception {
    boolean[] stop = {false};
    Thread io =
        start(
            "io",
            () -> {
              try (FileOutputStream devNull = new FileOutputStream("/dev/null")) {
                while (!stop[0]) {
                  devNull.write(1);
                }
              }
            });
    byte[][] garbage = new byte[256][];
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 4096; i++) {
        garbage[i % 256] = new byte[16 * 1024];
      }
      System.gc();
      Thread.sleep(10);
    }
    stop[0] = true;
    io.join();
  }

  private static void peer(ServerSocket server) throws Exception {
    while (true) {
      Socket s = server.accept();
      start(
          "peer-conn",
          () -> {
            try (s) {
              InputStream in = s.getInputStream();
              OutputStream out = s.getOutputStream();
              int role = in.read();
              byte[] buffer = new byte[8192];
              if (role == 'R') {
                while (in.read() >= 0) {
                  Thread.sleep(30);
                  out.write('!');
                  out.flush();
                }
              } else {
                while (in.read(buffer) > 0) {
                  // drain
                }
              }
            }
          });
    }
  }

  interface Body {
    void run() throws Exception;
  }

  private static Thread start(String name, Body body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Exception e) {
                if (!Thread.currentThread().getName().equals("peer")) {
                  throw new IllegalStateException(e);
                }
              }
            },
            name);
    t.setDaemon(name.startsWith("peer"));
    t.start();
    return t;
  }

  private static void run(String name, Body body) throws Exception {
    start(name, body).join();
  }
}

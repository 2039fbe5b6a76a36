import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A JVM that makes flight-recorder events fast, for the import benchmark: threads that throw and
 * catch exceptions, ping-pong over a loopback socket, write a file and park, for SECONDS.
 * Usage: java JfrLoad.java SECONDS DIR
 */
public class JfrLoad {
  public static void main(String[] args) throws Exception {
    long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
    Path dir = Path.of(args[1]);
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread echo =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  InputStream in = s.getInputStream();
                  OutputStream out = s.getOutputStream();
                  int b;
                  while ((b = in.read()) >= 0) {
                    out.write(b);
                  }
                } catch (Exception e) {
                  // the client is gone
                }
              },
              "echo");
      echo.setDaemon(true);
      echo.start();
      Thread[] workers = {
        loop("thrower", end, () -> {
          try {
            throw new IllegalStateException("benchmark");
          } catch (IllegalStateException expected) {
            // thrown for the recorder
          }
        }),
        loop("parker", end, () -> LockSupport.parkNanos(1_000)),
        loop("writer", end, () -> Files.writeString(dir.resolve("load.txt"), "x")),
        socketLoop(end, server.getLocalPort())
      };
      for (Thread t : workers) {
        t.join();
      }
    }
  }

  interface Step {
    void run() throws Exception;
  }

  static Thread loop(String name, long end, Step step) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (System.nanoTime() < end) {
                  step.run();
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            name);
    t.start();
    return t;
  }

  static Thread socketLoop(long end, int port) throws Exception {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    return loop(
        "pinger",
        end,
        () -> {
          out.write(1);
          in.read();
          if (System.nanoTime() >= end) {
            s.close();
          }
        });
  }
}

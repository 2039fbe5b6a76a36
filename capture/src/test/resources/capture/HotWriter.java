import java.io.FileOutputStream;

/** Writes one byte to /dev/null N times, each through hotWriteStep (kept out of line). */
public class HotWriter {
  static void hotWriteStep(FileOutputStream out, byte[] one) throws Exception {
    out.write(one);
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    byte[] one = {1};
    try (FileOutputStream out = new FileOutputStream("/dev/null")) {
      for (int i = 0; i < n; i++) {
        hotWriteStep(out, one);
      }
    }
    // Native frames are symbolized from /proc/PID/maps while the process lives.
    Thread.sleep(1000);
  }
}

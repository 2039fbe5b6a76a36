package dev.tracefix.capture.jvm;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JMX connection to a running JVM found by pid, through the Attach API: the JVM starts its local
 * management agent (loopback only, the one jconsole uses; it stays on after we detach) and tells us
 * its address. Root may attach to a JVM of any user: the target accepts an attach file and a peer
 * that are root's as well as its own user's (checked on JDK 25 against a JVM run as {@code
 * nobody}). Error messages never quote the attach layer's own text, which can hold the target's
 * command line.
 */
public final class JvmAttach {
  private JvmAttach() {}

  /** Connects to the JVM of {@code pid}; a clear {@link CaptureException} when it cannot. */
  public static JMXConnector connect(int pid) {
    requireJvm(pid);
    String address;
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(Integer.toString(pid));
    } catch (AttachNotSupportedException _) {
      throw cannot(
          pid,
          "its attach mechanism did not answer (a JVM started with -XX:+DisableAttachMechanism,"
              + " one still starting, or one in a container whose /tmp this host cannot reach)",
          null); // not kept as the cause: its text names the target's command line
    } catch (IOException e) {
      throw cannot(pid, "attaching failed: " + e.getMessage(), e);
    }
    try {
      address = vm.startLocalManagementAgent();
    } catch (IOException e) {
      throw cannot(pid, "its local management agent did not start: " + e.getMessage(), e);
    } finally {
      try {
        vm.detach();
      } catch (IOException ignored) {
        // The agent runs on in the target either way; only the attach socket is left.
      }
    }
    try {
      return JMXConnectorFactory.connect(new JMXServiceURL(address));
    } catch (IOException e) {
      throw cannot(pid, "its management agent refused the connection: " + e.getMessage(), e);
    }
  }

  /**
   * Fails fast, before the attach layer's ten-second wait, for a process that runs no HotSpot JVM.
   */
  static void requireJvm(int pid) {
    Path maps = Path.of("/proc", Integer.toString(pid), "maps");
    boolean jvm;
    try (Stream<String> lines = Files.lines(maps)) {
      jvm = lines.anyMatch(line -> line.endsWith("/libjvm.so"));
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new CaptureException(
          Kind.USER,
          "--jfr --pid "
              + pid
              + ": cannot read "
              + maps
              + " (no such process, or not root?): "
              + e.getMessage(),
          e);
    }
    if (!jvm) {
      throw new CaptureException(
          Kind.USER,
          "--jfr --pid "
              + pid
              + ": process "
              + pid
              + " runs no JVM (it maps no libjvm.so); --jfr attaches to a HotSpot JVM, JDK 17 or"
              + " later");
    }
  }

  private static CaptureException cannot(int pid, String why, Exception cause) {
    return new CaptureException(
        Kind.USER,
        "--jfr --pid " + pid + ": cannot attach to the JVM of process " + pid + ": " + why,
        cause);
  }
}

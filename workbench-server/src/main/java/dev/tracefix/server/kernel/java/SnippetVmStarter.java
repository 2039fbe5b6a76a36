package dev.tracefix.server.kernel.java;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jshell.execution.JdiDefaultExecutionControl;
import jdk.jshell.execution.JdiExecutionControlProvider;
import jdk.jshell.execution.JdiInitiator;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Starts the snippet VM the way JShell's default engine does (a JDI listening connector, the remote
 * agent connecting back on loopback), with four differences: the command line starts with the
 * {@link SnippetCgroup}'s prefix (join the notebook's cgroup) and the {@link SnippetSandbox}'s
 * ({@code setpriv ...} as root), the working folder is the private {@link SnippetClasspath} folder,
 * the environment is cleared (the server's may hold API keys) but for {@code PATH} and the locale,
 * and the VM's process is kept ({@link #process()}) so the kernel can kill it when a snippet does
 * not stop.
 */
final class SnippetVmStarter implements JdiDefaultExecutionControl.JdiStarter {
  /** Loopback only: the debugger connection controls the snippet VM. */
  private static final String HOST = "127.0.0.1";

  private static final int OUTPUT_KEPT = 8192;

  private final SnippetSandbox sandbox;
  private final Path workDir;
  private final List<String> cgroupPrefix;

  /** What the VM printed itself (not snippets' output): the last {@link #OUTPUT_KEPT} chars. */
  private final StringBuilder output = new StringBuilder();

  private volatile Process process;
  private volatile Thread drain;

  SnippetVmStarter(SnippetSandbox sandbox, Path workDir, List<String> cgroupPrefix) {
    this.sandbox = sandbox;
    this.workDir = workDir;
    this.cgroupPrefix = List.copyOf(cgroupPrefix);
  }

  /** The VM started last, if any. */
  Process process() {
    return process;
  }

  /**
   * The end of what the VM printed itself, e.g. "Terminating due to java.lang.OutOfMemoryError",
   * once it has exited and that has been read (waiting at most {@code wait}).
   */
  String outputTailAfterExit(java.time.Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      Process p = process;
      if (p != null) {
        p.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
      }
      Thread d = drain;
      if (d != null) {
        d.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (output) {
      return output.toString();
    }
  }

  @Override
  public TargetDescription start(ExecutionEnv env, Map<String, String> parameters, int port) {
    String agent = parameters.get(JdiExecutionControlProvider.PARAM_REMOTE_AGENT);
    int timeout =
        Integer.parseUnsignedInt(parameters.get(JdiExecutionControlProvider.PARAM_TIMEOUT));
    Launch launch = new Launch(port, env.extraRemoteVMOptions(), agent, timeout, this);
    return new TargetDescription(launch.vm(), launch.process);
  }

  /** JdiInitiator's listening start (JDK 22+), with our own command line. */
  private static final class Launch extends JdiInitiator {
    private final String agent;
    private final SnippetVmStarter starter;
    private Process process; // set by runListenProcess, which the super constructor calls

    Launch(int port, List<String> options, String agent, int timeout, SnippetVmStarter starter) {
      this.agent = agent;
      this.starter = starter;
      super(port, options, agent, false, HOST, timeout, Map.of());
    }

    @Override
    protected void runListenProcess(
        String jdiAddress, int controlPort, List<String> options, ProcessStarted setupVm) {
      List<String> command = new ArrayList<>(starter.cgroupPrefix);
      command.addAll(starter.sandbox.commandPrefix());
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-agentlib:jdwp=transport=dt_socket,address=" + jdiAddress);
      command.addAll(options);
      command.add(agent);
      command.add(Integer.toString(controlPort));
      ProcessBuilder builder =
          new ProcessBuilder(command).directory(starter.workDir.toFile()).redirectErrorStream(true);
      Map<String, String> env = builder.environment();
      Map<String, String> kept = new HashMap<>();
      for (String name : List.of("LANG", "LC_ALL", "TZ")) {
        String value = env.get(name);
        if (value != null) {
          kept.put(name, value);
        }
      }
      env.clear();
      env.putAll(kept);
      env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
      StringBuilder output = starter.output;
      synchronized (output) {
        output.setLength(0);
      }
      Thread drain = null;
      try {
        process = builder.start();
        starter.process = process;
        Process started = process;
        drain =
            Thread.ofPlatform()
                .daemon()
                .name("tracefix-snippet-vm-output")
                .start(() -> keep(started.getInputStream(), output));
        starter.drain = drain;
        setupVm.processStarted(process);
      } catch (Throwable e) {
        if (process != null) {
          process.destroyForcibly();
          try {
            process.waitFor(2, TimeUnit.SECONDS);
            if (drain != null) {
              drain.join(2000);
            }
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
        }
        String said;
        synchronized (output) {
          said = output.toString().strip();
        }
        throw new IllegalStateException(
            "the snippet VM (as "
                + starter.sandbox.user()
                + ") did not start: "
                + (said.isEmpty() ? e.toString() : said),
            e);
      }
    }

    /** Keeps the end of what the VM prints itself (start-up failures, its last words). */
    private static void keep(InputStream in, StringBuilder output) {
      byte[] buffer = new byte[4096];
      try (in) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          synchronized (output) {
            output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (output.length() > OUTPUT_KEPT) {
              output.delete(0, output.length() - OUTPUT_KEPT);
            }
          }
        }
      } catch (IOException ignored) {
        // the VM ended
      }
    }
  }
}

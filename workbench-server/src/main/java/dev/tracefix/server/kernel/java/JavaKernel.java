package dev.tracefix.server.kernel.java;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.limits.Limit;
import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.message.CellOutput;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.execution.JdiExecutionControlProvider;

/**
 * Runs Java cells with the JShell API. Snippets execute in a separate JVM, one per notebook
 * (JShell's JDI engine, started by {@link SnippetVmStarter}): unprivileged ({@link
 * SnippetSandbox}), with a private class path ({@link SnippetClasspath}), its heap capped by {@code
 * -Xmx} ({@code java_heap}; it exits on {@code OutOfMemoryError} instead of lingering at the cap)
 * and its CPU by a cgroup where one can be made ({@link SnippetCgroup}, {@code java_cpu}). A
 * snippet reaches the notebook's data only through {@code sql(...)} and {@code result(...)}, and
 * makes a table its cell's output with {@code show(...)}.
 *
 * <p>Stopping (a stop request, the cell's {@code timeout}, output past {@link #MAX_PRINTED})
 * escalates: JShell's stop first, which ends a loop or a wait; if the snippet has not ended {@link
 * #STOP_GRACE} later (it catches the stop, or the VM is busy collecting garbage at its heap cap),
 * or if threads it started are still running once it did, the VM is killed (with everything in its
 * cgroup) and the cell says "kernel restarted"; the next cell starts a fresh VM. A snippet that
 * calls {@code System.exit} or runs out of heap ends its VM the same way. The server's own heap
 * holds at most {@link #MAX_PRINTED} of a cell's printed text.
 */
public final class JavaKernel implements AutoCloseable {
  /** How long a snippet has to end after JShell's stop before its VM is killed. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(1);

  /** The most printed text a Java cell's output keeps; printing past it stops the cell. */
  public static final int MAX_PRINTED = 8 << 20;

  /** How long the snippet VM may take to start and connect (JShell's default is 5 s). */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tracefix-java-timer");
            t.setDaemon(true);
            return t;
          });

  /** JShell's stop suspends the VM over JDI and may wait on it: never on a caller's thread. */
  private static final ExecutorService STOPPER =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "tracefix-java-stop");
            t.setDaemon(true);
            return t;
          });

  /** The notebook's VM: its heap ({@code -Xmx}) and the CPUs its cgroup may use. */
  public record VmLimits(long heapBytes, double cpus) {
    public static VmLimits of(Limits limits) {
      return new VmLimits(limits.javaHeap(), limits.javaCpu());
    }
  }

  private enum Stop {
    REQUEST,
    TIMEOUT,
    OUTPUT
  }

  /** One cell's run, as the stop path sees it. */
  private static final class Run {
    final Limits limits;
    volatile Stop stop;
    volatile boolean evaluated;
    volatile String killedBecause;

    Run(Limits limits) {
      this.limits = limits;
    }
  }

  private final HostData data;
  private final VmLimits vm;
  private final SnippetSandbox sandbox;
  private final Runnable onRestart;
  private final CappedText printed = new CappedText(MAX_PRINTED);
  private final Set<String> notes = java.util.Collections.synchronizedSet(new LinkedHashSet<>());

  /** What the running cell's {@code show(...)} made its output, if it called it. */
  private volatile CellOutput.Table shown;

  private HostBridge bridge;
  private SnippetClasspath classpath;
  private Optional<SnippetCgroup> cgroup;
  private volatile SnippetVmStarter starter;
  private volatile JShell shell;
  private volatile boolean vmEnded;
  private volatile Run current;

  /** A run is starting its VM: a stop now ends it as soon as the VM is up. */
  private volatile boolean starting;

  private volatile boolean stopWhileStarting;

  /**
   * @param onRestart called whenever this kernel's VM ended or was killed under a cell
   */
  public JavaKernel(HostData data, VmLimits vm, Runnable onRestart) {
    this(data, vm, onRestart, SnippetSandbox.forThisProcess());
  }

  JavaKernel(HostData data, VmLimits vm, Runnable onRestart, SnippetSandbox sandbox) {
    this.data = data;
    this.vm = vm;
    this.onRestart = onRestart;
    this.sandbox = sandbox;
  }

  /** Whether {@code java_cpu} can be enforced here, and how: one line for {@code serve}. */
  public static String cpuLimitAvailability() {
    return SnippetCgroup.availability();
  }

  /** Evaluates the cell's snippets in order; stops at the first one that fails. */
  public synchronized CellOutput run(String source, Limits limits) {
    if (sandbox.unavailable().isPresent()) {
      return new CellOutput.Error("java", sandbox.unavailable().get(), "");
    }
    stopWhileStarting = false;
    starting = true;
    try {
      ensureStarted();
    } catch (IOException | RuntimeException e) {
      return new CellOutput.Error(
          "java", "could not start the Java snippet VM: " + e.getMessage(), stack(e));
    } finally {
      starting = false;
    }
    if (stopWhileStarting) {
      return new CellOutput.Error(
          "interrupted", "cell interrupted: stopped while its Java VM started, before it ran", "");
    }
    Run run = new Run(limits);
    current = run;
    printed.reset(() -> stop(run, Stop.OUTPUT));
    notes.clear();
    shown = null;
    ScheduledFuture<?> watchdog =
        TIMER.schedule(
            () -> stop(run, Stop.TIMEOUT), limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
    CellOutput output;
    try {
      output = evaluate(source, run);
    } catch (RuntimeException e) {
      output =
          vmEnded || run.stop != null
              ? null
              : new CellOutput.Error("java", "the Java kernel failed: " + e, stack(e));
    } finally {
      run.evaluated = true;
      watchdog.cancel(false);
    }
    try {
      return settle(run, output);
    } finally {
      current = null;
    }
  }

  /**
   * Stops the cell running now, if any, and returns at once: JShell's stop, then the VM's kill when
   * the snippet has not ended {@link #STOP_GRACE} later. Safe from any thread.
   */
  public void cancel() {
    Run run = current;
    if (run != null) {
      stop(run, Stop.REQUEST);
    } else if (starting) {
      stopWhileStarting = true;
    }
  }

  /** Whether a snippet VM is up (a child JVM of the server). */
  public boolean vmRunning() {
    return shell != null && !vmEnded;
  }

  /** The cgroup of this kernel's VMs, if one could be made. */
  Optional<SnippetCgroup> cgroup() {
    return cgroup == null ? Optional.empty() : cgroup;
  }

  /** The running VM's process id, if one runs. */
  Optional<Long> vmPid() {
    SnippetVmStarter s = starter;
    Process p = s == null ? null : s.process();
    return p != null && p.isAlive() ? Optional.of(p.pid()) : Optional.empty();
  }

  private void stop(Run run, Stop why) {
    if (run.evaluated || current != run) {
      return;
    }
    if (run.stop == null) {
      run.stop = why;
    }
    STOPPER.execute(
        () -> {
          JShell s = shell;
          if (s != null) {
            try {
              s.stop();
            } catch (RuntimeException ignored) {
              // the VM is gone or going; the kill below covers it
            }
          }
        });
    TIMER.schedule(
        () -> {
          if (!run.evaluated && current == run) {
            kill(run, "the snippet did not stop within " + STOP_GRACE.toMillis() + " ms");
          }
        },
        STOP_GRACE.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Kills the VM and everything in its cgroup; JShell sees the VM end and the eval returns. */
  private void kill(Run run, String because) {
    if (run.killedBecause == null) {
      run.killedBecause = because;
    }
    cgroup().ifPresent(SnippetCgroup::killAll);
    SnippetVmStarter s = starter;
    Process p = s == null ? null : s.process();
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  private CellOutput evaluate(String source, Run run) {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = source;
    String lastValue = null;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (!info.completeness().isComplete()) {
        return new CellOutput.Error(
            "java", "incomplete snippet: " + firstLine(remaining.strip()), remaining.strip());
      }
      remaining = info.remaining();
      lastValue = null;
      for (SnippetEvent event : shell.eval(info.source())) {
        if (vmEnded || run.stop != null) {
          return null;
        }
        if (event.causeSnippet() != null) {
          continue; // a dependent snippet updated as a side effect
        }
        if (event.status() == Snippet.Status.REJECTED) {
          return compileError(event.snippet());
        }
        if (event.exception() != null) {
          return runtimeError(event.exception());
        }
        Snippet.Kind kind = event.snippet().kind();
        if (event.value() != null
            && (kind == Snippet.Kind.EXPRESSION || kind == Snippet.Kind.VAR)) {
          lastValue = event.value();
        }
      }
    }
    if (vmEnded || run.stop != null) {
      return null;
    }
    if (shown != null) {
      return shown; // show(...) made a table the output; what the cell printed is not kept
    }
    String out = printed.text();
    if (lastValue != null && !lastValue.isEmpty()) {
      out = out.isEmpty() || out.endsWith("\n") ? out + lastValue : out + "\n" + lastValue;
    }
    for (String note : notesOfRun()) {
      out = out.isEmpty() || out.endsWith("\n") ? out + note : out + "\n" + note;
    }
    return new CellOutput.Text(out);
  }

  /** The cell's output once the snippet returned, was stopped, or its VM ended. */
  private CellOutput settle(Run run, CellOutput output) {
    if (!vmEnded && run.stop != null && straysAfterStop(run)) {
      kill(run, "threads the cell started were still running after the stop");
    }
    if (vmEnded || run.killedBecause != null) {
      closeShell();
      onRestart.run();
      return restarted(run);
    }
    if (run.stop != null) {
      return stopped(run);
    }
    return output;
  }

  /**
   * Whether threads that snippets started are alive after a stop: JShell's stop ends only the
   * snippet's own thread. Asked in the VM itself; a VM that does not answer within {@link
   * #STOP_GRACE} counts as yes.
   */
  private boolean straysAfterStop(Run run) {
    JShell s = shell;
    if (s == null) {
      return false;
    }
    ScheduledFuture<?> deadline =
        TIMER.schedule(
            () -> kill(run, "the Java VM did not answer after the stop"),
            STOP_GRACE.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      for (SnippetEvent event : s.eval(SnippetHelpers.STRAYS)) {
        if (event.causeSnippet() == null && event.value() != null && event.exception() == null) {
          return Long.parseLong(event.value()) > 0;
        }
      }
      return true;
    } catch (RuntimeException e) {
      return true;
    } finally {
      deadline.cancel(false);
    }
  }

  private CellOutput restarted(Run run) {
    Limits limits = run.limits;
    String said = printed.text();
    String tail = starterOutput();
    String gone = "; earlier definitions are gone and the next cell starts a fresh Java VM";
    if (run.killedBecause == null && tail.contains("OutOfMemoryError")) {
      Limits vmLimits =
          new Limits(
              limits.timeout(),
              limits.maxRows(),
              limits.maxBytes(),
              limits.memory(),
              limits.threads(),
              vm.heapBytes(),
              vm.cpus());
      return new CellOutput.Error(
          "limit",
          vmLimits.exceeded(
                  Limit.JAVA_HEAP, "kernel restarted: the Java VM ran out of heap", "java")
              + gone,
          said + tail);
    }
    if (run.killedBecause == null) {
      return new CellOutput.Error(
          "restarted",
          "kernel restarted: the snippet ended the Java VM (System.exit?)" + gone,
          said + tail);
    }
    String killed = "kernel restarted: " + run.killedBecause + ", so its Java VM was killed";
    return switch (run.stop == null ? Stop.REQUEST : run.stop) {
      case TIMEOUT ->
          new CellOutput.Error(
              "limit",
              limits.exceeded(
                      Limit.TIMEOUT,
                      killed + " after the cell ran longer than its time limit",
                      "java")
                  + gone,
              said);
      case OUTPUT ->
          new CellOutput.Error("limit", killed + " after " + printedTooMuch() + gone, said);
      case REQUEST -> new CellOutput.Error("restarted", killed + gone, said);
    };
  }

  private CellOutput stopped(Run run) {
    String said = printed.text();
    return switch (run.stop) {
      case TIMEOUT ->
          new CellOutput.Error(
              "limit",
              run.limits.exceeded(
                  Limit.TIMEOUT,
                  "snippet stopped: the cell ran longer than its time limit",
                  "java"),
              said);
      case OUTPUT -> new CellOutput.Error("limit", "snippet stopped: " + printedTooMuch(), said);
      case REQUEST ->
          new CellOutput.Error(
              "interrupted", "cell interrupted: the snippet was stopped by a stop request", said);
    };
  }

  private static String printedTooMuch() {
    return "the cell printed more than "
        + (MAX_PRINTED >> 20)
        + " MB, the most a Java cell's output keeps; print less, or keep large output as a SQL"
        + " result";
  }

  private List<String> notesOfRun() {
    synchronized (notes) {
      return new ArrayList<>(notes);
    }
  }

  /** The VM's own last words, once it has ended and they have been read (a second at most). */
  private String starterOutput() {
    SnippetVmStarter s = starter;
    return s == null ? "" : s.outputTailAfterExit(Duration.ofSeconds(1));
  }

  private CellOutput compileError(Snippet snippet) {
    List<Diag> diags = shell.diagnostics(snippet).toList();
    String message =
        diags.isEmpty()
            ? "snippet rejected: " + firstLine(snippet.source())
            : diags.getFirst().getMessage(Locale.ROOT);
    String detail =
        diags.stream().map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n"))
            + "\nin: "
            + snippet.source().strip();
    return new CellOutput.Error("java", "compile error: " + firstLine(message), detail);
  }

  private CellOutput runtimeError(Exception exception) {
    String message =
        switch (exception) {
          case EvalException e ->
              e.getExceptionClassName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
          case UnresolvedReferenceException e ->
              "unresolved reference in " + firstLine(e.getSnippet().source());
          default -> exception.toString();
        };
    String detail = printed.text() + stack(exception);
    if (sandbox.dropsPrivileges() && permissionDenied(exception)) {
      message =
          "permission denied: Java cells run as the unprivileged user "
              + sandbox.user()
              + ", not allowed to read the key store, /root or other protected files ("
              + firstLine(message)
              + ")";
    }
    return new CellOutput.Error("java", firstLine(message), detail);
  }

  /** A refusal of the operating system somewhere in the snippet's exception chain. */
  private static boolean permissionDenied(Exception exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      String type =
          t instanceof EvalException e ? e.getExceptionClassName() : t.getClass().getName();
      String message = String.valueOf(t.getMessage());
      if (type.equals("java.nio.file.AccessDeniedException")
          || message.contains("Permission denied")) {
        return true;
      }
    }
    return false;
  }

  private void ensureStarted() throws IOException {
    if (shell != null) {
      return;
    }
    if (bridge == null) {
      bridge = new HostBridge(data, notes::add, table -> shown = table);
    }
    if (classpath == null) {
      classpath = SnippetClasspath.copyOf(jacksonJars(), sandbox.dropsPrivileges());
    }
    if (cgroup == null) {
      cgroup = SnippetCgroup.create(vm.cpus());
    }
    SnippetVmStarter fresh =
        new SnippetVmStarter(
            sandbox, classpath.dir(), cgroup.map(SnippetCgroup::commandPrefix).orElse(List.of()));
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    vmEnded = false;
    starter = fresh;
    JShell started =
        JShell.builder()
            .out(out)
            .err(out)
            .remoteVMOptions(vmOptions())
            .executionEngine(
                new JdiExecutionControlProvider(fresh),
                Map.of(
                    JdiExecutionControlProvider.PARAM_TIMEOUT,
                    Long.toString(START_TIMEOUT.toMillis())))
            .build();
    started.onShutdown(ended -> vmEnded = true);
    for (Path jar : classpath.jars()) {
      started.addToClasspath(jar.toString());
    }
    List<String> setup = new ArrayList<>(SnippetHelpers.IMPORTS);
    setup.addAll(SnippetHelpers.snippets(bridge.baseUrl(), bridge.token()));
    setup.add(SnippetHelpers.BASELINE);
    for (String snippet : setup) {
      for (SnippetEvent event : started.eval(snippet)) {
        if (event.status() == Snippet.Status.REJECTED || event.exception() != null) {
          String why =
              event.exception() != null
                  ? event.exception().toString()
                  : started
                      .diagnostics(event.snippet())
                      .map(d -> d.getMessage(Locale.ROOT))
                      .collect(Collectors.joining("; "));
          started.close();
          throw new IllegalStateException("helper snippet failed: " + why);
        }
      }
    }
    printed.reset(() -> {});
    shell = started;
  }

  private String[] vmOptions() {
    return new String[] {
      "-XX:-UsePerfData", // no hsperfdata files in /tmp
      "-Xmx" + Math.max(32, vm.heapBytes() >> 20) + "m",
      // A VM at its heap cap would otherwise linger there, thrashing, holding the memory.
      "-XX:+ExitOnOutOfMemoryError",
      "-XX:+UseSerialGC",
      "-XX:ActiveProcessorCount=" + Math.max(1, (int) Math.ceil(vm.cpus()))
    };
  }

  /** Jackson parses the host's JSON replies inside the snippet VM. */
  private static List<Path> jacksonJars() {
    return List.of(ObjectMapper.class, JsonFactory.class, JsonAutoDetect.class).stream()
        .map(JavaKernel::location)
        .distinct()
        .toList();
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate " + type.getName(), e);
    }
  }

  private void closeShell() {
    JShell ending = shell;
    shell = null;
    if (ending != null) {
      try {
        ending.close();
      } catch (RuntimeException ignored) {
        // the VM is already gone
      }
    }
    SnippetVmStarter s = starter;
    Process p = s == null ? null : s.process();
    if (p != null) {
      p.destroyForcibly(); // a VM JShell lost track of must not outlive its kernel
    }
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("").strip();
  }

  private static String stack(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }

  @Override
  public synchronized void close() {
    closeShell();
    if (cgroup != null) {
      cgroup.ifPresent(SnippetCgroup::close);
      cgroup = null;
    }
    if (classpath != null) {
      classpath.close();
      classpath = null;
    }
    if (bridge != null) {
      bridge.close();
      bridge = null;
    }
  }

  /**
   * What snippets print, as JShell forwards it from the VM: kept up to a cap, past which the rest
   * is dropped and the cell is stopped once.
   */
  private static final class CappedText extends java.io.OutputStream {
    private final int cap;
    private final java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
    private Runnable onOverflow = () -> {};
    private boolean overflowed;

    CappedText(int cap) {
      this.cap = cap;
    }

    synchronized void reset(Runnable overflow) {
      kept.reset();
      overflowed = false;
      onOverflow = overflow;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      Runnable tell = null;
      synchronized (this) {
        int room = cap - kept.size();
        kept.write(b, off, Math.max(0, Math.min(room, len)));
        if (len > room && !overflowed) {
          overflowed = true;
          tell = onOverflow;
        }
      }
      if (tell != null) {
        tell.run();
      }
    }

    synchronized String text() {
      String text = kept.toString(StandardCharsets.UTF_8);
      return overflowed ? text + "\n[output cut at " + (cap >> 20) + " MB]\n" : text;
    }
  }
}

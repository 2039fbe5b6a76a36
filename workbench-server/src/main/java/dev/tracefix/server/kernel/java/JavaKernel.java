package dev.tracefix.server.kernel.java;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracefix.server.run.CellOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Runs Java cells with the JShell API. Snippets execute in a separate JVM (JShell's JDI engine,
 * started by {@link SnippetVmStarter}), so a runaway loop is ended with {@link JShell#stop()} after
 * the timeout and a snippet that calls {@code System.exit} only ends that JVM; the next cell starts
 * a fresh one. That JVM runs unprivileged ({@link SnippetSandbox}) with a private class path
 * ({@link SnippetClasspath}): a snippet reaches the notebook's data only through {@code sql(...)}
 * and {@code result(...)}, never the key store or other users' files.
 */
public final class JavaKernel implements AutoCloseable {

  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tracefix-java-timeout");
            t.setDaemon(true);
            return t;
          });

  /** How long the snippet VM may take to start and connect (JShell's default is 5 s). */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final HostData data;
  private final Duration timeout;
  private final SnippetSandbox sandbox;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private HostBridge bridge;
  private SnippetClasspath classpath;
  private JShell shell;
  private volatile boolean vmEnded;
  private volatile boolean timedOut;

  public JavaKernel(HostData data, Duration timeout) {
    this(data, timeout, SnippetSandbox.forThisProcess());
  }

  JavaKernel(HostData data, Duration timeout, SnippetSandbox sandbox) {
    this.data = data;
    this.timeout = timeout;
    this.sandbox = sandbox;
  }

  /** Evaluates the cell's snippets in order; stops at the first one that fails. */
  public synchronized CellOutput run(String source) {
    if (sandbox.unavailable().isPresent()) {
      return new CellOutput.Error("java", sandbox.unavailable().get(), "");
    }
    try {
      ensureStarted();
    } catch (IOException | RuntimeException e) {
      return new CellOutput.Error(
          "java", "could not start the Java snippet VM: " + e.getMessage(), stack(e));
    }
    synchronized (printed) {
      printed.reset();
    }
    timedOut = false;
    ScheduledFuture<?> watchdog =
        WATCHDOG.schedule(this::stopForTimeout, timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return evaluate(source);
    } catch (RuntimeException e) {
      if (vmEnded || timedOut) {
        return failureAfterStop();
      }
      return new CellOutput.Error("java", "the Java kernel failed: " + e, stack(e));
    } finally {
      watchdog.cancel(false);
      if (vmEnded) {
        closeShell();
      }
    }
  }

  /** Stops the snippet running now, if any; safe from any thread. */
  public void cancel() {
    JShell current = shell;
    if (current != null) {
      current.stop();
    }
  }

  private CellOutput evaluate(String source) {
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
        if (vmEnded || timedOut) {
          return failureAfterStop();
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
    if (vmEnded || timedOut) {
      return failureAfterStop();
    }
    String out = printedText();
    if (lastValue != null && !lastValue.isEmpty()) {
      out = out.isEmpty() || out.endsWith("\n") ? out + lastValue : out + "\n" + lastValue;
    }
    return new CellOutput.Text(out);
  }

  private CellOutput compileError(Snippet snippet) {
    List<Diag> diags = shell.diagnostics(snippet).toList();
    String message =
        diags.isEmpty()
            ? "snippet rejected: " + firstLine(snippet.source())
            : diags.getFirst().getMessage(Locale.ROOT);
    String detail =
        diags.stream()
                .map(d -> d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"))
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
    String detail = printedText() + stack(exception);
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
      String type = t instanceof EvalException e ? e.getExceptionClassName() : t.getClass().getName();
      String message = String.valueOf(t.getMessage());
      if (type.equals("java.nio.file.AccessDeniedException")
          || message.contains("Permission denied")) {
        return true;
      }
    }
    return false;
  }

  private CellOutput failureAfterStop() {
    if (timedOut && !vmEnded) {
      return new CellOutput.Error(
          "java",
          "snippet stopped after the " + timeout.toMillis() + " ms timeout",
          printedText());
    }
    return new CellOutput.Error(
        "java",
        "the snippet ended the Java VM (System.exit?); earlier definitions are gone and the next"
            + " cell starts a fresh VM",
        printedText());
  }

  private void stopForTimeout() {
    timedOut = true;
    cancel();
  }

  private void ensureStarted() throws IOException {
    if (shell != null) {
      return;
    }
    if (bridge == null) {
      bridge = new HostBridge(data);
    }
    if (classpath == null) {
      classpath = SnippetClasspath.copyOf(jacksonJars(), sandbox.dropsPrivileges());
    }
    PrintStream out = new PrintStream(new Synchronized(printed), true, StandardCharsets.UTF_8);
    vmEnded = false;
    JShell fresh =
        JShell.builder()
            .out(out)
            .err(out)
            .remoteVMOptions("-XX:-UsePerfData") // no hsperfdata files in /tmp
            .executionEngine(
                new JdiExecutionControlProvider(new SnippetVmStarter(sandbox, classpath.dir())),
                Map.of(
                    JdiExecutionControlProvider.PARAM_TIMEOUT,
                    Long.toString(START_TIMEOUT.toMillis())))
            .build();
    fresh.onShutdown(ended -> vmEnded = true);
    for (Path jar : classpath.jars()) {
      fresh.addToClasspath(jar.toString());
    }
    List<String> setup = new java.util.ArrayList<>(SnippetHelpers.IMPORTS);
    setup.addAll(SnippetHelpers.snippets(bridge.baseUrl(), bridge.token()));
    for (String snippet : setup) {
      for (SnippetEvent event : fresh.eval(snippet)) {
        if (event.status() == Snippet.Status.REJECTED) {
          String why =
              fresh.diagnostics(event.snippet())
                  .map(d -> d.getMessage(Locale.ROOT))
                  .collect(Collectors.joining("; "));
          fresh.close();
          throw new IllegalStateException("helper snippet rejected: " + why);
        }
      }
    }
    shell = fresh;
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

  private String printedText() {
    synchronized (printed) {
      return printed.toString(StandardCharsets.UTF_8);
    }
  }

  private void closeShell() {
    JShell current = shell;
    shell = null;
    if (current != null) {
      try {
        current.close();
      } catch (RuntimeException ignored) {
        // the VM is already gone
      }
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
    if (classpath != null) {
      classpath.close();
      classpath = null;
    }
    if (bridge != null) {
      bridge.close();
      bridge = null;
    }
  }

  /** Output from the snippet VM arrives on JShell's reader thread; guard the shared buffer. */
  private static final class Synchronized extends java.io.OutputStream {
    private final ByteArrayOutputStream target;

    Synchronized(ByteArrayOutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      synchronized (target) {
        target.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (target) {
        target.write(b, off, len);
      }
    }
  }
}

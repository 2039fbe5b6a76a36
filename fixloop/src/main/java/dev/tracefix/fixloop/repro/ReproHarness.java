package dev.tracefix.fixloop.repro;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.ProgressEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;

/**
 * Runs a {@link ReproSpec} on a source tree: build (once per tree), start the target, replay the
 * input, judge the run, kill everything it started. Every command goes through {@link ReproCommand}
 * (own process group, time limit, key folders hidden). Safe to use from several threads at once
 * (parallel minimization): each run gets its own input file.
 */
public final class ReproHarness {
  private final ReproSpec spec;
  private final Path scratch;
  private final Control control;

  /** Builds by tree folder, done or under way: concurrent callers for one tree share one build. */
  private final Map<Path, java.util.concurrent.CompletableFuture<Attempt>> builds =
      new ConcurrentHashMap<>();

  private final AtomicInteger inputs = new AtomicInteger();

  /**
   * @param scratch a folder for input files; created when needed
   */
  public ReproHarness(ReproSpec spec, Path scratch, Control control) {
    this.spec = spec;
    this.scratch = scratch;
    this.control = control;
  }

  public ReproSpec spec() {
    return spec;
  }

  public Control control() {
    return control;
  }

  /** {@code spec.repeat()} attempts on {@code tree}; the majority decides. */
  public Judgement judge(Path tree, Optional<InputTable> input) {
    return judge(tree, input, spec.repeat());
  }

  public Judgement judge(Path tree, Optional<InputTable> input, int repeat) {
    return judge(tree, input, repeat, control.cancellation());
  }

  /** As {@link #judge(Path, Optional, int)}, stopped by {@code cancel} (a speculative run). */
  public Judgement judge(Path tree, Optional<InputTable> input, int repeat, Cancellation cancel) {
    List<Attempt> attempts = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      Attempt attempt = attempt(tree, input, cancel);
      attempts.add(attempt);
      if (attempt.verdict() == Verdict.ABORT || attempt.phase() == Attempt.Phase.BUILD) {
        break; // an abort stops the bisect; a failed build fails every time
      }
    }
    return Judgement.of(attempts);
  }

  /** One attempt: the (cached) build, then start + run. */
  public Attempt attempt(Path tree, Optional<InputTable> input) {
    return attempt(tree, input, control.cancellation());
  }

  public Attempt attempt(Path tree, Optional<InputTable> input, Cancellation cancel) {
    Attempt built = build(tree);
    if (built.verdict() != Verdict.GOOD) {
      return built;
    }
    return run(tree, input, cancel);
  }

  /**
   * Runs the build command in {@code tree} once; later calls for the same folder return the first
   * outcome. A failed build is a skip (exit 125), as a bisect script would report it.
   */
  public Attempt build(Path tree) {
    return build(tree, control.cancellation());
  }

  /**
   * As {@link #build(Path)}, stopped by {@code cancel} as well (a build started ahead of need); a
   * stopped build is not remembered.
   */
  public Attempt build(Path tree, Cancellation cancel) {
    if (spec.build().isEmpty()) {
      return new Attempt(Verdict.GOOD, 0, Attempt.Phase.BUILD, "", Duration.ZERO, "no build step");
    }
    Path dir = tree.toAbsolutePath().normalize();
    while (true) {
      java.util.concurrent.CompletableFuture<Attempt> mine =
          new java.util.concurrent.CompletableFuture<>();
      java.util.concurrent.CompletableFuture<Attempt> first = builds.putIfAbsent(dir, mine);
      if (first == null) {
        try {
          Attempt built = runBuild(dir, cancel);
          mine.complete(built);
          return built;
        } catch (RuntimeException e) {
          builds.remove(dir, mine); // a stopped or failed build is not remembered
          mine.completeExceptionally(e);
          throw e;
        }
      }
      try {
        return first.join(); // another caller builds this tree: its outcome is ours
      } catch (java.util.concurrent.CompletionException e) {
        // that build was stopped (it was started ahead of need) or failed: build it here
        control.check();
        cancel.check();
      }
    }
  }

  /** Forgets the build of {@code tree} (its folder was deleted or rewritten). */
  public void forgetBuild(Path tree) {
    builds.remove(tree.toAbsolutePath().normalize());
  }

  private Attempt runBuild(Path tree, Cancellation cancel) {
    control.check();
    cancel.check();
    control.report(ProgressEvent.Stage.BUILD, "building in " + tree.getFileName());
    Cancellation either = new Cancellation();
    ReproCommand.Run run;
    try (var a = control.cancellation().onCancel(either::cancel);
        var b = cancel.onCancel(either::cancel)) {
      run =
          new ReproCommand(spec.build().orElseThrow(), spec.buildTimeout())
              .run(tree, List.of(), Map.of(), either);
    }
    if (run.exitCode() == 0) {
      return new Attempt(
          Verdict.GOOD, 0, Attempt.Phase.BUILD, run.outputTail(), run.elapsed(), "built");
    }
    return new Attempt(
        Verdict.SKIP,
        run.exitCode(),
        Attempt.Phase.BUILD,
        run.outputTail(),
        run.elapsed(),
        run.timedOut() ? "the build timed out" : "the build failed");
  }

  /** Start (if any) and run, without building. */
  public Attempt run(Path tree, Optional<InputTable> input) {
    return run(tree, input, control.cancellation());
  }

  public Attempt run(Path tree, Optional<InputTable> input, Cancellation cancel) {
    cancel.check();
    if (spec.captureQuery().isEmpty()) {
      return run(tree, input, cancel, List.of());
    }
    try (RunCapture.Session capture = control.capture().begin(scratch);
        Cancellation.Registration stop = cancel.onCancel(capture::close)) {
      cancel.check();
      Attempt ran = run(tree, input, cancel, capture.enter()); // the target is killed by now
      Verdict byExit = Verdict.ofExitCode(ran.exitCode());
      if (ran.phase() != Attempt.Phase.RUN || byExit == Verdict.SKIP || byExit == Verdict.ABORT) {
        return ran;
      }
      control.report(ProgressEvent.Stage.REPRO, "querying the capture of the run");
      Optional<String> row = capture.stopAndQuery(spec.captureQuery().get(), spec.timeout());
      cancel.check();
      return new Attempt(
          row.isPresent() ? Verdict.BAD : Verdict.GOOD,
          ran.exitCode(),
          Attempt.Phase.RUN,
          ran.outputTail(),
          ran.elapsed(),
          row.map(r -> "the capture query returned a row: " + r)
              .orElse("the capture query returned no row"));
    }
  }

  private Attempt run(
      Path tree, Optional<InputTable> input, Cancellation cancel, List<String> enter) {
    Map<String, String> env = new HashMap<>();
    List<String> args = List.of();
    Path file = null;
    if (input.isPresent()) {
      InputTable table =
          spec.schedule().map(c -> Schedule.withDelays(input.get(), c)).orElse(input.get());
      file = table.writeCsv(scratch.resolve("input-" + inputs.incrementAndGet() + ".csv"));
      env.put("TRACEFIX_INPUT", file.toString());
      if (!spec.run().contains("TRACEFIX_INPUT")) {
        args = List.of(file.toString());
      }
    }
    ReproCommand.Started target = null;
    try {
      if (spec.start().isPresent()) {
        AtomicReference<String> ready = new AtomicReference<>();
        CountDownLatch readyLatch = new CountDownLatch(1);
        target =
            new ReproCommand(spec.start().get(), spec.timeout())
                .start(
                    tree,
                    List.of(),
                    env,
                    enter,
                    line -> {
                      if (readyLatch.getCount() == 0) {
                        return;
                      }
                      if (spec.ready().isEmpty()) {
                        return;
                      }
                      Matcher m = spec.ready().get().matcher(line);
                      if (m.find()) {
                        ready.set(
                            m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group());
                        readyLatch.countDown();
                      }
                    });
        Optional<Attempt> notReady = awaitReady(target, readyLatch, cancel);
        if (notReady.isPresent()) {
          return notReady.get();
        }
        if (ready.get() != null) {
          env.put("TRACEFIX_READY", ready.get());
        }
      }
      ReproCommand.Run run =
          new ReproCommand(spec.run(), spec.timeout()).run(tree, args, env, cancel, enter);
      Verdict verdict = Verdict.ofExitCode(run.exitCode());
      String note = run.timedOut() ? "timed out after " + spec.timeout().toMillis() + " ms" : "";
      if (verdict == Verdict.BAD
          && spec.match().isPresent()
          && !spec.match().get().matcher(run.outputTail()).find()) {
        verdict = Verdict.SKIP;
        note =
            "failed differently: the output does not match /" + spec.match().get().pattern() + "/";
      }
      return new Attempt(
          verdict, run.exitCode(), Attempt.Phase.RUN, run.outputTail(), run.elapsed(), note);
    } finally {
      if (target != null) {
        target.kill();
      }
      if (file != null) {
        file.toFile().delete();
      }
    }
  }

  private Optional<Attempt> awaitReady(
      ReproCommand.Started target, CountDownLatch readyLatch, Cancellation cancel) {
    if (spec.ready().isEmpty()) {
      return Optional.empty();
    }
    long deadline = System.nanoTime() + spec.timeout().toNanos();
    try (var ignored = cancel.onCancel(readyLatch::countDown)) {
      while (System.nanoTime() < deadline) {
        if (readyLatch.await(50, TimeUnit.MILLISECONDS)) {
          cancel.check();
          return Optional.empty();
        }
        if (!target.isAlive()) {
          if (readyLatch.getCount() == 0) {
            return Optional.empty();
          }
          return Optional.of(
              new Attempt(
                  Verdict.SKIP,
                  125,
                  Attempt.Phase.START,
                  target.outputTail(),
                  Duration.ZERO,
                  "the target exited before its output matched /"
                      + spec.ready().get().pattern()
                      + "/"));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FixLoopException(
          FixLoopException.Kind.CANCELLED, "interrupted while starting the target", e);
    }
    return Optional.of(
        new Attempt(
            Verdict.SKIP,
            125,
            Attempt.Phase.START,
            target.outputTail(),
            spec.timeout(),
            "the target was not ready within " + spec.timeout().toMillis() + " ms"));
  }
}

package dev.tracefix.server.kernel.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.message.CellOutput;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way a snippet can refuse to end, stopped through the kernel: JShell's stop where it works,
 * the VM killed where it does not, and "kernel restarted" on the cell when the VM went. Each stop
 * must complete (a liveness bound of 30 s, not a speed claim); the latency is printed.
 */
class JavaKernelStopTest {
  private static final Limits LIMITS = Limits.defaults().with(Map.of("timeout", "10m"));

  private final AtomicInteger restarts = new AtomicInteger();
  private JavaKernel kernel;

  @BeforeEach
  void start() {
    kernel =
        new JavaKernel(
            JavaKernelTest.DATA, new JavaKernel.VmLimits(128L << 20, 1), restarts::incrementAndGet);
    assertEquals(new CellOutput.Text("2"), kernel.run("1 + 1", LIMITS));
  }

  @AfterEach
  void stop() {
    kernel.close();
  }

  /** Runs {@code source}, asks it to stop once it runs, returns its output. */
  private CellOutput stopped(String label, String source) throws Exception {
    CompletableFuture<CellOutput> run =
        CompletableFuture.supplyAsync(() -> kernel.run(source, LIMITS));
    Thread.sleep(700); // let it start; nothing below depends on how long that takes
    long asked = System.nanoTime();
    kernel.cancel();
    CellOutput output = run.get(30, TimeUnit.SECONDS);
    System.out.printf(
        "%s: stopped %d ms after the stop request%n",
        label, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked));
    return output;
  }

  @Test
  void aLoopStopsWithJShellsStopAndTheVmAndItsDefinitionsStay() throws Exception {
    kernel.run("int kept = 41;", LIMITS);
    CellOutput.Error error =
        assertInstanceOf(CellOutput.Error.class, stopped("while(true)", "while (true) { }"));
    assertEquals("interrupted", error.errorKind(), error.message());
    assertEquals(new CellOutput.Text("42"), kernel.run("kept + 1", LIMITS));
    assertEquals(0, restarts.get());
  }

  @Test
  void aSnippetThatSwallowsTheStopHasItsVmKilled() throws Exception {
    CellOutput.Error error =
        assertInstanceOf(
            CellOutput.Error.class,
            stopped(
                "catch(Throwable) loop",
                "while (true) { try { while (true) { } } catch (Throwable t) { } }"));
    assertEquals("restarted", error.errorKind(), error.message());
    assertTrue(
        error.message().startsWith("kernel restarted: the snippet did not stop"), error.message());
    assertEquals(new CellOutput.Text("3"), kernel.run("1 + 2", LIMITS));
    assertEquals(1, restarts.get());
  }

  @Test
  void aThreadThatNeverEndsHasItsVmKilledAfterTheStop() throws Exception {
    CellOutput.Error error =
        assertInstanceOf(
            CellOutput.Error.class,
            stopped(
                "thread that never ends",
                "Thread spin = new Thread(() -> { while (true) { } });\nspin.start();\nspin.join();"));
    assertEquals("restarted", error.errorKind(), error.message());
    assertTrue(error.message().contains("threads the cell started"), error.message());
    assertEquals(1, restarts.get());
  }

  @Test
  void deepRecursionFailsAsAStackOverflowAndTheVmStays() {
    CellOutput.Error error =
        assertInstanceOf(
            CellOutput.Error.class,
            kernel.run("int down(int n) { return down(n + 1) + 1; }\ndown(0)", LIMITS));
    assertTrue(error.message().contains("StackOverflowError"), error.message());
    assertEquals(0, restarts.get());
  }

  @Test
  void anAllocationLoopEndsTheVmAtItsHeapCapAndTheCellNamesJavaHeap() {
    CellOutput.Error error =
        assertInstanceOf(
            CellOutput.Error.class,
            kernel.run(
                "var hoard = new ArrayList<byte[]>();\nwhile (true) { hoard.add(new byte[1 << 20]); }",
                LIMITS));
    assertEquals("limit", error.errorKind(), error.message());
    assertTrue(error.message().contains("java_heap=128MB"), error.message());
    assertTrue(error.message().startsWith("kernel restarted"), error.message());
    assertEquals(new CellOutput.Text("3"), kernel.run("1 + 2", LIMITS));
  }

  @Test
  void theVmRunsInACgroupWhoseQuotaHoldsABusyLoopBack() {
    kernel.close();
    kernel =
        new JavaKernel(JavaKernelTest.DATA, new JavaKernel.VmLimits(128L << 20, 0.2), () -> {});
    kernel.run("1", LIMITS);
    assumeTrue(kernel.cgroup().isPresent(), "no cgroup here: " + JavaKernel.cpuLimitAvailability());
    kernel.run(
        "long end = System.nanoTime() + 1_500_000_000L; while (System.nanoTime() < end) { }",
        LIMITS);
    long throttled = kernel.cgroup().get().throttledPeriods();
    System.out.printf(
        "java_cpu=0.2: %d periods throttled in %s%n", throttled, kernel.cgroup().get().dir());
    assertTrue(throttled > 0, "the quota never held the VM back");
  }
}

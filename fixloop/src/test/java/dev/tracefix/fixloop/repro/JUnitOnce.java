package dev.tracefix.fixloop.repro;

import java.io.PrintWriter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one JUnit 5 class in this JVM (started by a test as its own process); exit 0 if it passed.
 */
public final class JUnitOnce {
  private JUnitOnce() {}

  public static void main(String[] args) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(args[0]))
                .build(),
            listener);
    TestExecutionSummary summary = listener.getSummary();
    summary.printFailuresTo(new PrintWriter(System.out, true), 5);
    boolean passed = summary.getTestsFoundCount() > 0 && summary.getTotalFailureCount() == 0;
    System.out.println(passed ? "PASSED" : "FAILED");
    System.exit(passed ? 0 : 1);
  }
}

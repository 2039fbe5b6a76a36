package dev.tracefix.capture.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.TriggerRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriggerRuleTest {
  @Test
  void parsesErrnosRateCgroupActionsAndTtl() {
    TriggerRule rule =
        TriggerRule.parse(
            "ETIMEDOUT, econnreset > 5.5/s in /system.slice/checkout.service"
                + " -> stacks, uprobe=/usr/lib/libc.so.6:getaddrinfo for 30s");
    assertEquals(List.of("ETIMEDOUT", "ECONNRESET"), rule.errnoNames());
    assertEquals(Set.of(110, 104), rule.errnos());
    assertEquals(5.5, rule.perSecond());
    assertEquals(Optional.of("/system.slice/checkout.service"), rule.cgroup());
    assertTrue(rule.stacks());
    assertEquals(Path.of("/usr/lib/libc.so.6"), rule.uprobes().getFirst().binary());
    assertEquals(Duration.ofSeconds(30), rule.ttl());
    assertEquals(List.of("stacks", "uprobe:getaddrinfo"), rule.probeNames());
  }

  @Test
  void jfrIsAnActionOfItsOwn() {
    TriggerRule rule = TriggerRule.parse("ECONNREFUSED > 5/s -> jfr for 3s");
    assertTrue(rule.jfr());
    assertFalse(rule.stacks() || rule.full());
    assertEquals(List.of("jfr"), rule.probeNames());
    assertFalse(TriggerRule.parse("ECONNREFUSED > 5/s -> stacks for 3s").jfr());
  }

  @Test
  void coversItsCgroupAndEverythingBelowItOnly() {
    TriggerRule rule = TriggerRule.parse("EPIPE > 1/s in /a/b -> stacks for 500ms");
    assertTrue(rule.covers("/a/b"));
    assertTrue(rule.covers("/a/b/c.scope"));
    assertFalse(rule.covers("/a/bc"));
    assertFalse(rule.covers(null));
    assertTrue(TriggerRule.parse("EPIPE > 1/s -> stacks for 1m").covers(null));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ETIMEDOUT > 5/s stacks for 30s | no '->'",
        "ETIMEDOUT >> 5/s -> stacks for 30s | condition",
        "ETIMEDOUT > 5 -> stacks for 30s | condition",
        "ENOTANERRNO > 5/s -> stacks for 30s | 'ENOTANERRNO' is not an errno",
        "ETIMEDOUT > 5/s -> stacks | no 'for TTL'",
        "ETIMEDOUT > 5/s -> stacks for soon | TTL 'soon'",
        "ETIMEDOUT > 5/s -> flamegraphs for 30s | 'flamegraphs' is not an action",
        "ETIMEDOUT > 5/s -> uprobe=/bin/ls for 30s | must be /path/to/binary:symbol",
        "ETIMEDOUT > 0/s -> stacks for 30s | rate must be positive",
        "ETIMEDOUT > 5/s -> stacks for 0s | TTL must be positive",
      })
  void refusesAMalformedRuleNamingWhatIsWrong(String rule, String expected) {
    CaptureException e = assertThrows(CaptureException.class, () -> TriggerRule.parse(rule));
    assertEquals(CaptureException.Kind.USER, e.kind());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}

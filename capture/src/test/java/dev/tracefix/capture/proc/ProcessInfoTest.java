package dev.tracefix.capture.proc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessInfoTest {
  private static ProcessInfo named(String comm, String exe) {
    return new ProcessInfo(
        42, 7, comm, Optional.ofNullable(exe), Optional.empty(), Optional.empty());
  }

  @Test
  void aFifteenByteNameIsSuspectUnlessTheExecutableShowsItWhole() {
    assertTrue(named("alice.smith@exa", null).commMayBeCut(), "no executable to check against");
    assertTrue(named("alice.smith@exa", "/tmp/x/alice.smith@example.com").commMayBeCut());
    assertFalse(named("systemd-journal", "/usr/lib/systemd/systemd-journal").commMayBeCut());
  }

  @Test
  void aShorterOrLongerNameIsWhole() {
    assertFalse(named("inventory", null).commMayBeCut());
    assertFalse(named("alice.smith@example.com", null).commMayBeCut(), "already untruncated");
  }
}

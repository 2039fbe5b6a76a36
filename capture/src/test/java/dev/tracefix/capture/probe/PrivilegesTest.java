package dev.tracefix.capture.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrivilegesTest {
  private static Path fixture(String name) throws Exception {
    return Path.of(PrivilegesTest.class.getResource("/probe/" + name).toURI());
  }

  @Test
  void namesTheMissingCapabilitiesAndHowToFixIt() throws Exception {
    String reason = Privileges.missing(fixture("status-unprivileged")).orElseThrow();
    assertTrue(reason.contains("CAP_BPF") && reason.contains("CAP_PERFMON"), reason);
    assertTrue(reason.contains("run as root (sudo ./tracefix capture ...)"), reason);
  }

  @Test
  void acceptsAFullCapabilitySet() throws Exception {
    assertEquals(Optional.empty(), Privileges.missing(fixture("status-root")));
  }
}

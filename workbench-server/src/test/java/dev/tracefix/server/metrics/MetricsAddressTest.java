package dev.tracefix.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.ServerException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class MetricsAddressTest {
  @Test
  void aPortAloneListensOnLoopback() {
    assertEquals(new MetricsAddress("127.0.0.1", 9464), MetricsAddress.parse("9464"));
  }

  @Test
  void aHostAndPortAreBothKept() {
    assertEquals(new MetricsAddress("0.0.0.0", 0), MetricsAddress.parse("0.0.0.0:0"));
    assertEquals(new MetricsAddress("::1", 9464), MetricsAddress.parse("[::1]:9464"));
  }

  @Test
  void aMalformedPortIsRefusedWithTheExpectedShape() {
    ServerException e = assertThrows(ServerException.class, () -> MetricsAddress.parse("x:y"));
    assertTrue(e.getMessage().contains("[HOST:]PORT"), e.getMessage());
    assertThrows(ServerException.class, () -> MetricsAddress.parse("70000"));
  }

  @Test
  void aBusyPortIsOneClearLine() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ServerException e =
          assertThrows(
              ServerException.class,
              () -> MetricsEndpoint.start(MetricsAddress.parse("" + busy.getLocalPort())));
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
      assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }
  }
}

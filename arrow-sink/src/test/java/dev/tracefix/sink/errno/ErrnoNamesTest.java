package dev.tracefix.sink.errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ErrnoNamesTest {
  @Test
  void namesTheErrnosNetworkServicesMeet() {
    assertEquals("EBADF", ErrnoNames.nameOf(9));
    assertEquals("EAGAIN", ErrnoNames.nameOf(11));
    assertEquals("EPIPE", ErrnoNames.nameOf(32));
    assertEquals("ECONNRESET", ErrnoNames.nameOf(104));
    assertEquals("ETIMEDOUT", ErrnoNames.nameOf(110));
    assertEquals("ECONNREFUSED", ErrnoNames.nameOf(111));
    assertEquals("EHWPOISON", ErrnoNames.nameOf(133));
  }

  @Test
  void successHasNoNameAndUnknownValuesKeepTheirNumber() {
    assertNull(ErrnoNames.nameOf(0));
    assertEquals("E41", ErrnoNames.nameOf(41), "41 is unassigned on Linux");
    assertEquals("E300", ErrnoNames.nameOf(300));
    assertEquals("EPIPE", ErrnoNames.nameOf(-32), "a raw negative return names the same errno");
  }
}

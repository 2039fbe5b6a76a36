package dev.tracefix.sink;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand, so retention sees the days pass without waiting for them. */
final class SteppingClock extends Clock {
  private final AtomicReference<Instant> now;

  SteppingClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  void set(Instant next) {
    now.set(next);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}

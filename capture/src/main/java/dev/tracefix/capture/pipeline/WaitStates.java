package dev.tracefix.capture.pipeline;

/**
 * How a thread left the CPU, from sched_switch's prev_state: the kernel reports a preempted task as
 * TASK_REPORT_MAX (0x100 since 4.14; 0x80 before 4.20's TASK_REPORT_IDLE), a yielding one as 0.
 */
final class WaitStates {
  private static final int INTERRUPTIBLE = 0x1;
  private static final int UNINTERRUPTIBLE = 0x2;
  private static final int REPORT_IDLE = 0x80;

  private WaitStates() {}

  static String of(int prevState) {
    int state = prevState & 0xff;
    if (state == 0) {
      return "preempted";
    }
    if ((state & INTERRUPTIBLE) != 0 || state == REPORT_IDLE) {
      return "sleeping";
    }
    if ((state & UNINTERRUPTIBLE) != 0) {
      return "blocked";
    }
    return "stopped";
  }
}

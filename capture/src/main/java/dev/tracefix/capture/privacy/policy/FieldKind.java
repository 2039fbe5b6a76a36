package dev.tracefix.capture.privacy.policy;

/** The two value shapes a policy distinguishes: actions are checked against them at load. */
public enum FieldKind {
  TEXT,
  NUMBER
}

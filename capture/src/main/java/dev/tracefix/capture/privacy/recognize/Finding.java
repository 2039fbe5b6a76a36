package dev.tracefix.capture.privacy.recognize;

/** A sensitive span {@code [start, end)} of the scanned text, of recognizer {@code type}. */
public record Finding(int start, int end, String type, int priority) {}

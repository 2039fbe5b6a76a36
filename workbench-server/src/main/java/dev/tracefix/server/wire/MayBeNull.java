package dev.tracefix.server.wire;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component of a wire message that is sent as JSON {@code null} when absent, so the
 * OpenAPI document, and the browser client's types generated from it, say so; every other component
 * is always present.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface MayBeNull {}

package dev.tracefix.server.capture;

import dev.tracefix.server.wire.MayBeNull;
import java.util.List;

/**
 * What {@code POST /api/captures} asks for: probe groups (as {@code tracefix capture --probes}),
 * one process (and its children) or cgroup paths, how long, and whether the target JVM's flight
 * recorder streams into the same capture (as {@code tracefix capture --jfr --pid}).
 *
 * @param probes probe group names; empty or null: {@code default}
 * @param pid trace only this process and its children, or null
 * @param cgroups trace only these cgroup v2 paths, or null
 * @param seconds how long to capture, 1 to the server's maximum
 * @param jfr attach to the JVM of {@code pid} and stream its flight recorder into the capture's
 *     {@code jvm_events}; only with a pid; false when absent
 */
public record LiveCaptureRequest(
    @MayBeNull List<String> probes,
    @MayBeNull Integer pid,
    @MayBeNull List<String> cgroups,
    int seconds,
    boolean jfr) {}

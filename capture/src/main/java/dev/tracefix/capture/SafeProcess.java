package dev.tracefix.capture;

/**
 * Redacted metadata of one traced process, emitted once per process before its first event.
 *
 * @param token the same token its events carry in {@link SafeEvent#processToken()}
 * @param comm the kernel's short command name
 * @param buildId hex ELF build id (NT_GNU_BUILD_ID) of the executable, or null if it has none
 * @param cgroup the process's cgroup v2 path
 * @param exeHash keyed hash of the executable path
 * @param keyId id of the key behind {@code token} and {@code exeHash}
 */
public record SafeProcess(
    String token, String comm, String buildId, String cgroup, String exeHash, String keyId) {}

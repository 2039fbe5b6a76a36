package dev.tracefix.capture;

import dev.tracefix.capture.proc.ContainerIds;

/**
 * Redacted metadata of one traced process, emitted once per process before its first event.
 *
 * @param token the same token its events carry in {@link SafeEvent#processToken()}
 * @param comm the kernel's short command name
 * @param buildId hex ELF build id (NT_GNU_BUILD_ID) of the executable, or null if it has none
 * @param cgroup the process's cgroup v2 path
 * @param exeHash keyed hash of the executable path
 * @param keyId id of the key behind {@code token} and {@code exeHash}
 * @param container the 64-hex container id the cgroup path names (Docker, containerd, CRI-O,
 *     Podman, Kubernetes pods), or null outside a container; see {@link ContainerIds}
 */
public record SafeProcess(
    String token,
    String comm,
    String buildId,
    String cgroup,
    String exeHash,
    String keyId,
    String container) {

  /** A process whose container id is parsed from {@code cgroup}. */
  public SafeProcess(
      String token, String comm, String buildId, String cgroup, String exeHash, String keyId) {
    this(
        token, comm, buildId, cgroup, exeHash, keyId, ContainerIds.fromCgroup(cgroup).orElse(null));
  }
}

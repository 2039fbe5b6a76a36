package dev.tracefix.capture.proc;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container id a cgroup v2 path names, for the runtimes tracefix knows: Docker, containerd,
 * CRI-O and Podman under systemd ({@code docker-<id>.scope}, {@code cri-containerd-<id>.scope},
 * {@code crio-<id>.scope}, {@code libpod-<id>.scope}, also inside a {@code kubepods-...slice}),
 * Docker's cgroupfs driver ({@code /docker/<id>}) and Kubernetes' cgroupfs driver ({@code
 * /kubepods/<qos>/pod<uid>/<id>}). The innermost match wins: a container nested in another names
 * the inner one.
 */
public final class ContainerIds {
  private static final String ID = "([0-9a-f]{64})";

  private static final Pattern SYSTEMD_SCOPE =
      Pattern.compile("(?:^|/)(?:docker|cri-containerd|crio|libpod)-" + ID + "\\.scope(?=/|$)");
  private static final Pattern DOCKER_CGROUPFS = Pattern.compile("(?:^|/)docker/" + ID + "(?=/|$)");
  private static final Pattern KUBEPODS_CGROUPFS =
      Pattern.compile(
          "(?:^|/)kubepods(?:/(?:burstable|besteffort|guaranteed))?/pod[0-9a-f_-]+/"
              + ID
              + "(?=/|$)");

  private ContainerIds() {}

  /** The 64-hex container id in {@code cgroupPath}, or empty for a path outside a container. */
  public static Optional<String> fromCgroup(String cgroupPath) {
    if (cgroupPath == null || cgroupPath.isEmpty()) {
      return Optional.empty();
    }
    int best = -1;
    String id = null;
    for (Pattern pattern : new Pattern[] {SYSTEMD_SCOPE, DOCKER_CGROUPFS, KUBEPODS_CGROUPFS}) {
      Matcher m = pattern.matcher(cgroupPath);
      while (m.find()) {
        if (m.start(1) > best) {
          best = m.start(1);
          id = m.group(1);
        }
      }
    }
    return Optional.ofNullable(id);
  }
}

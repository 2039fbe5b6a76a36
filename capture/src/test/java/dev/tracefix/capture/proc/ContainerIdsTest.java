package dev.tracefix.capture.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerIdsTest {
  private static final String A =
      "4f1c3a9e0b7d2c6a8e5f1b3d7c9a2e4f6b8d0c1a3e5f7b9d2c4a6e8f0b1d3c5a";
  private static final String B =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  static Stream<Arguments> paths() {
    return Stream.of(
        // Docker, systemd cgroup driver and cgroupfs driver.
        Arguments.of("/system.slice/docker-" + A + ".scope", A),
        Arguments.of("/docker/" + A, A),
        Arguments.of("/docker/" + A + "/init.scope", A),
        // containerd, CRI-O and Podman under systemd.
        Arguments.of("/system.slice/cri-containerd-" + A + ".scope", A),
        Arguments.of("/machine.slice/crio-" + A + ".scope", A),
        Arguments.of("/machine.slice/libpod-" + A + ".scope/container", A),
        Arguments.of(
            "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + A + ".scope", A),
        // Kubernetes, systemd driver (each QoS class and the guaranteed class without one).
        Arguments.of(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + "8d1c2b3a_4e5f_6a7b_8c9d_0e1f2a3b4c5d.slice/cri-containerd-"
                + A
                + ".scope",
            A),
        Arguments.of(
            "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
                + "8d1c2b3a_4e5f_6a7b_8c9d_0e1f2a3b4c5d.slice/crio-"
                + A
                + ".scope",
            A),
        Arguments.of(
            "/kubepods.slice/kubepods-pod8d1c2b3a_4e5f_6a7b_8c9d_0e1f2a3b4c5d.slice/"
                + "docker-"
                + A
                + ".scope",
            A),
        // Kubernetes, cgroupfs driver.
        Arguments.of("/kubepods/burstable/pod8d1c2b3a-4e5f-6a7b-8c9d-0e1f2a3b4c5d/" + A, A),
        Arguments.of("/kubepods/besteffort/pod8d1c2b3a-4e5f-6a7b-8c9d-0e1f2a3b4c5d/" + A, A),
        Arguments.of("/kubepods/pod8d1c2b3a-4e5f-6a7b-8c9d-0e1f2a3b4c5d/" + A, A),
        // Nested: the innermost container is the one the process runs in.
        Arguments.of("/docker/" + B + "/system.slice/docker-" + A + ".scope", A),
        // Not containers.
        Arguments.of("/", null),
        Arguments.of("/user.slice/user-1000.slice/session-2.scope", null),
        Arguments.of("/system.slice/docker.service", null),
        Arguments.of("/system.slice/containerd.service", null),
        Arguments.of("/kubepods.slice/kubepods-burstable.slice", null),
        Arguments.of("/kubepods/burstable/pod8d1c2b3a-4e5f-6a7b-8c9d-0e1f2a3b4c5d", null),
        // A short or upper-case id is not a runtime's container id.
        Arguments.of("/system.slice/docker-" + A.substring(0, 12) + ".scope", null),
        Arguments.of("/docker/" + A.toUpperCase(), null),
        Arguments.of("/system.slice/docker-" + A + "0.scope", null),
        Arguments.of("/home/docker/" + A + "x", null),
        Arguments.of("", null),
        Arguments.of(null, null));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("paths")
  void findsTheContainerIdOfEachRuntimeAndNoneOutsideContainers(String path, String expected) {
    assertEquals(Optional.ofNullable(expected), ContainerIds.fromCgroup(path));
  }
}

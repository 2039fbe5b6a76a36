package dev.tracefix.capture.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeEventSink;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.ffm.NetTraceLayout;
import dev.tracefix.capture.ffm.RawNetEvent;
import dev.tracefix.capture.ffm.RawRecord;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.capture.privacy.keys.Redactor;
import dev.tracefix.capture.proc.CgroupPaths;
import dev.tracefix.capture.proc.ProcFs;
import dev.tracefix.capture.proc.ProcessTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembler keeps the keyed hashes of the peers it has seen: every socket record's peer hash is
 * still exactly the redactor's for its family, address and port, for peers that repeat and peers
 * seen once, past the cache's bound, and whatever an IPv4 record holds after its four bytes.
 */
class PeerHashCacheTest {
  @TempDir Path dir;

  @Test
  void everyPeerHashIsTheRedactorsPastTheCacheBound() throws Exception {
    Redactor redactor = new Redactor(KeyStore.current(dir.resolve("keys")), "boot-1");
    List<SafeEvent> events = new ArrayList<>();
    SafeEventSink sink =
        new SafeEventSink() {
          @Override
          public void onProcess(SafeProcess process) {}

          @Override
          public void onEvents(List<SafeEvent> batch) {
            events.addAll(batch);
          }
        };
    SafeEventAssembler assembler =
        new SafeEventAssembler(
            redactor, new ProcessTable(ProcFs.system(), CgroupPaths.system()), sink, 0);
    int pid = (int) ProcessHandle.current().pid();
    Random random = new Random(20);
    List<String> expected = new ArrayList<>();
    List<RawRecord> records = new ArrayList<>();
    int count = 3 * SafeEventAssembler.MAX_PEER_HASHES;
    for (int i = 0; i < count; i++) {
      int peer = i % 2 == 0 ? i % 5 : i; // five peers over and over, and one-off peers
      int family = peer % 3 == 0 ? RawNetEvent.AF_INET6 : RawNetEvent.AF_INET;
      byte[] daddr = new byte[16];
      random.nextBytes(daddr); // past an IPv4 address's 4 bytes: noise that must not count
      daddr[0] = 10;
      daddr[1] = (byte) (peer >> 16);
      daddr[2] = (byte) (peer >> 8);
      daddr[3] = (byte) peer;
      if (family == RawNetEvent.AF_INET6) {
        Arrays.fill(daddr, 4, 16, (byte) peer);
      }
      int port = 1000 + peer % 7;
      records.add(
          new RawNetEvent(
              i,
              1,
              0,
              1,
              NetTraceLayout.EVENT_SOCKET_WRITE,
              pid,
              pid,
              3,
              1,
              family,
              40000,
              port,
              new byte[16],
              daddr,
              "java"));
      byte[] address = family == RawNetEvent.AF_INET ? Arrays.copyOf(daddr, 4) : daddr.clone();
      expected.add(redactor.addressHash(family, address, port));
    }
    for (int from = 0; from < count; from += 1000) {
      assembler.accept(records.subList(from, Math.min(count, from + 1000)));
    }
    List<String> hashes =
        events.stream()
            .filter(e -> e.type() == EventType.SOCKET_WRITE)
            .map(SafeEvent::peerHash)
            .toList();
    assertEquals(count, hashes.size());
    for (int i = 0; i < count; i++) {
      assertEquals(expected.get(i), hashes.get(i), "record " + i);
    }
    System.out.printf(
        "peer hashes: %d records, %d distinct peers, each the redactor's%n",
        count, expected.stream().distinct().count());
  }
}

package dev.tracefix.capture.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a capture or export can prove about its privacy: which policy (by hash) and keys (by id)
 * made it, how many values each field rule and each recognizer handled, and that no payload bytes
 * were captured (the probes record sizes and errnos, never buffers).
 *
 * @param fieldActions {@code type.field:action} → values handled
 * @param recognizerHits recognizer type → values replaced
 */
public record Attestation(
    String policyName,
    String policyHash,
    List<String> keyIds,
    Map<String, Long> fieldActions,
    Map<String, Long> recognizerHits,
    boolean noPayloadBytesCaptured) {
  public Attestation {
    keyIds = List.copyOf(keyIds);
    fieldActions = Map.copyOf(fieldActions);
    recognizerHits = Map.copyOf(recognizerHits);
  }

  /**
   * This attestation and another engine's over the same capture (e.g. the JVM recorder's beside the
   * kernel probes'): counts summed, key ids of both. Refused when the two were made under different
   * policies: one capture row attests one policy.
   */
  public Attestation plus(Attestation other) {
    if (!policyHash.equals(other.policyHash)) {
      throw new IllegalArgumentException(
          "one capture's attestation covers one policy, not "
              + policyHash
              + " and "
              + other.policyHash);
    }
    List<String> keys = new ArrayList<>(keyIds);
    other.keyIds.stream().filter(k -> !keys.contains(k)).forEach(keys::add);
    Map<String, Long> fields = new TreeMap<>(fieldActions);
    other.fieldActions.forEach((k, v) -> fields.merge(k, v, Long::sum));
    Map<String, Long> hits = new TreeMap<>(recognizerHits);
    other.recognizerHits.forEach((k, v) -> hits.merge(k, v, Long::sum));
    return new Attestation(
        policyName,
        policyHash,
        keys,
        fields,
        hits,
        noPayloadBytesCaptured && other.noPayloadBytesCaptured);
  }
}

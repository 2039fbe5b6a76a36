package dev.tracefix.capture.privacy;

import java.util.List;
import java.util.Map;

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
}

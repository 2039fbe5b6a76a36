package dev.tracefix.sink;

import java.util.List;

/**
 * Where a capture's data came from, for the {@code captures} row: who asked, under which privacy
 * policy and keys, and the attestation that binds them. Any field may be null when unknown.
 *
 * @param sessionId the workbench or CLI session that ran the capture
 * @param policyHash hash of the redaction policy in force
 * @param policySource the policy file it was read from (user names redacted), or {@code built-in}
 * @param keyIds ids of every key that made tokens in this capture
 * @param attestation signed statement over the fields above, as produced by the privacy engine
 */
public record CaptureProvenance(
    String sessionId,
    String policyHash,
    String policySource,
    List<String> keyIds,
    String attestation) {
  public CaptureProvenance {
    keyIds = keyIds == null ? null : List.copyOf(keyIds);
  }
}

package dev.tracefix.server.report;

import dev.tracefix.capture.privacy.Attestation;
import dev.tracefix.server.llm.LlmAudit;
import dev.tracefix.server.report.ReportPart.Fact;
import dev.tracefix.server.report.ReportPart.Facts;
import dev.tracefix.server.report.ReportPart.Heading;
import dev.tracefix.server.report.ReportPart.Line;
import dev.tracefix.server.report.ReportPart.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The privacy attestation, derived from data only: each capture's recorded attestation (policy
 * hash, key ids, what the field rules and recognizers handled) and what the report's redaction pass
 * replaced ({@link ReportRedaction}). "No payload bytes were captured" is stated only when every
 * capture attests it.
 */
final class PrivacySection {
  static final String NO_PAYLOADS = "No payload bytes were captured.";

  private PrivacySection() {}

  /** The captures' recorded attestations; raw values, redacted with the rest of the report. */
  static List<ReportPart> captureParts(List<CaptureFacts> captures) {
    List<ReportPart> parts = new ArrayList<>();
    parts.add(new Heading(3, "Captures"));
    parts.addAll(perCapture(captures));
    return parts;
  }

  /**
   * What the report's redaction pass replaced, by type: built after the pass over everything else,
   * from its counts.
   */
  static List<ReportPart> reportParts(String reportKeyId, Map<String, Long> reportReplacements) {
    List<ReportPart> parts = new ArrayList<>();
    parts.add(new Heading(3, "This report"));
    long total = reportReplacements.values().stream().mapToLong(Long::longValue).sum();
    parts.add(
        new Line(
            "Every value this report shows (prose, cell sources, table cells, outputs, error"
                + " messages, diffs, logs, capture facts) passed the capture recognizers; "
                + total
                + (total == 1 ? " value was" : " values were")
                + " replaced by typed placeholders (<TYPE:keyed hash>) under key "
                + reportKeyId
                + "."));
    if (!reportReplacements.isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      new TreeMap<>(reportReplacements)
          .forEach((type, n) -> rows.add(List.of(type, Long.toString(n))));
      parts.add(new Table(List.of("recognizer", "values replaced"), rows, 0));
    }
    return parts;
  }

  /**
   * What went to a model, from the store's {@code llm_audit}: requests by the gateway's decision
   * and the recognizer hits replaced in them. Counts and type names only.
   */
  static List<ReportPart> modelParts(java.util.Optional<LlmAudit.Summary> requests) {
    List<ReportPart> parts = new ArrayList<>();
    parts.add(new Heading(3, "Model requests"));
    if (requests.isEmpty() || requests.get().requests() == 0) {
      parts.add(new Line("No request went to a model: the store's llm_audit table records none."));
      return parts;
    }
    LlmAudit.Summary s = requests.get();
    parts.add(
        new Line(
            s.requests()
                + " request(s) to a model passed the privacy gateway (llm_audit): "
                + s.sent()
                + " sent unchanged, "
                + s.redacted()
                + " sent with recognized values replaced, "
                + s.blocked()
                + " blocked and never sent."));
    if (!s.hitsByType().isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      new TreeMap<>(s.hitsByType()).forEach((type, n) -> rows.add(List.of(type, Long.toString(n))));
      parts.add(new Table(List.of("recognizer", "values replaced in model requests"), rows, 0));
    }
    return parts;
  }

  private static List<ReportPart> perCapture(List<CaptureFacts> captures) {
    if (captures.isEmpty()) {
      return List.of(new Line("The store holds no captures, so there is nothing to attest."));
    }
    List<ReportPart> parts = new ArrayList<>();
    List<String> unattested = new ArrayList<>();
    List<String> withPayloads = new ArrayList<>();
    for (CaptureFacts c : captures) {
      List<Fact> facts = new ArrayList<>();
      facts.add(new Fact("capture", c.captureId()));
      facts.add(new Fact("policy hash", orNotRecorded(c.policyHash())));
      facts.add(
          new Fact(
              "key ids", c.keyIds().isEmpty() ? "not recorded" : String.join(", ", c.keyIds())));
      if (c.attestation().isPresent()) {
        Attestation a = c.attestation().get();
        facts.add(new Fact("policy", orNotRecorded(a.policyName())));
        if (!a.policyHash().isEmpty() && !a.policyHash().equals(c.policyHash())) {
          facts.add(new Fact("attested policy hash", a.policyHash()));
        }
        if (!a.keyIds().isEmpty() && !a.keyIds().equals(c.keyIds())) {
          facts.add(new Fact("attested key ids", String.join(", ", a.keyIds())));
        }
        facts.add(new Fact("field rules applied", counts(a.fieldActions())));
        facts.add(new Fact("recognizer replacements", counts(a.recognizerHits())));
        facts.add(
            new Fact(
                "payload bytes",
                a.noPayloadBytesCaptured()
                    ? "none captured (attested)"
                    : "not attested as absent"));
        if (!a.noPayloadBytesCaptured()) {
          withPayloads.add(c.captureId());
        }
      } else {
        facts.add(new Fact("attestation", c.attestationProblem().orElse("not recorded")));
        unattested.add(c.captureId());
      }
      parts.add(new Facts(facts));
    }
    if (unattested.isEmpty() && withPayloads.isEmpty()) {
      parts.add(new Line(NO_PAYLOADS + " Every capture's attestation says so."));
    } else {
      StringBuilder why = new StringBuilder("Payload absence is not attested for every capture:");
      if (!unattested.isEmpty()) {
        why.append(" no attestation recorded for ")
            .append(String.join(", ", unattested))
            .append(';');
      }
      if (!withPayloads.isEmpty()) {
        why.append(" not attested by ").append(String.join(", ", withPayloads)).append(';');
      }
      why.setLength(why.length() - 1);
      parts.add(new Line(why.append('.').toString()));
    }
    return parts;
  }

  private static String orNotRecorded(String value) {
    return value == null || value.isBlank() ? "not recorded" : value;
  }

  private static String counts(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return "none";
    }
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(counts)
        .forEach((k, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(n));
    return sb.toString();
  }
}

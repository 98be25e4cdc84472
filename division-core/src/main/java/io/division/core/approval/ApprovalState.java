package io.division.core.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.approval.sshsig.AllowedSigners;
import io.division.core.approval.sshsig.SshSig;
import io.division.core.model.Resource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An Approval's phase as its decisions and policy make it, recomputed by whoever reads it rather
 * than taken from {@code status.phase}, which any store writer can set. Only decisions made for the
 * current generation of the spec count; with an allowed-signers list (the waiter's, never the
 * store's), only decisions signed by a key that list allows for the decider count. {@link #notes()}
 * says why each other decision was not counted.
 */
public record ApprovalState(
    String phase,
    List<String> approvedBy,
    List<String> rejectedBy,
    int required,
    List<String> notes) {
  public static final String PENDING = "Pending";
  public static final String EXPIRED = "Expired";

  public ApprovalState {
    approvedBy = List.copyOf(approvedBy);
    rejectedBy = List.copyOf(rejectedBy);
    notes = List.copyOf(notes);
  }

  /** {@code 1/2}: distinct approvers counted, of those required. */
  public String progress() {
    return approvedBy.size() + "/" + required;
  }

  /**
   * The state of {@code approval} now. {@code signers} null: signatures are not checked unless the
   * policy requires them, in which case nothing counts (there is no list to check them against).
   */
  public static ApprovalState evaluate(Resource approval, Instant now, AllowedSigners signers) {
    return evaluate(approval, ApprovalPolicy.of(approval), now, signers, false);
  }

  /** As {@link #evaluate(Resource, Instant, AllowedSigners)}, with the policy already read. */
  static ApprovalState evaluate(
      Resource approval, ApprovalPolicy policy, Instant now, AllowedSigners signers) {
    return evaluate(approval, policy, now, signers, false);
  }

  /**
   * The phase recorded in {@code status} when a decision is written: signatures are checked to
   * match their decisions, but whose keys may sign is for each waiter's own list to say.
   */
  static ApprovalState recorded(Resource approval, Instant now) {
    return recorded(approval, ApprovalPolicy.of(approval), now);
  }

  /** As {@link #recorded(Resource, Instant)}, with the policy of {@code approval} already read. */
  static ApprovalState recorded(Resource approval, ApprovalPolicy policy, Instant now) {
    return evaluate(approval, policy, now, null, true);
  }

  private static ApprovalState evaluate(
      Resource approval,
      ApprovalPolicy policy,
      Instant now,
      AllowedSigners signers,
      boolean recording) {
    JsonNode status = approval.status() == null ? null : approval.status();
    JsonNode decisions = status == null ? null : status.get("decisions");
    boolean checkSignatures = signers != null || policy.requireSignatures();
    if (!policy.governed() && signers == null && (decisions == null || decisions.isEmpty())) {
      // The original project's approvals: whatever status.phase says.
      String phase = approval.statusText("phase");
      return new ApprovalState(phase == null ? PENDING : phase, List.of(), List.of(), 1, List.of());
    }
    long generation =
        approval.metadata().generation() == null ? 1 : approval.metadata().generation();
    Set<String> approved = new LinkedHashSet<>();
    Set<String> rejected = new LinkedHashSet<>();
    List<String> notes = new ArrayList<>();
    if (decisions != null && decisions.isArray()) {
      for (JsonNode d : decisions) {
        String why = reject(approval, policy, d, generation, checkSignatures, signers, recording);
        String who = d.path("by").asText("?");
        if (why != null) {
          notes.add(d.path("decision").asText("decision") + " by " + who + " not counted: " + why);
        } else if (Approvals.REJECTED.equals(d.path("decision").asText())) {
          rejected.add(who);
        } else {
          approved.add(who);
        }
      }
    }
    String phase;
    if (!rejected.isEmpty()) phase = Approvals.REJECTED;
    else if (approved.size() >= policy.required()) phase = Approvals.APPROVED;
    else if (policy.expired(now)) phase = EXPIRED;
    else phase = PENDING;
    return new ApprovalState(
        phase, new ArrayList<>(approved), new ArrayList<>(rejected), policy.required(), notes);
  }

  /** Why a decision does not count, or null when it does. */
  private static String reject(
      Resource approval,
      ApprovalPolicy policy,
      JsonNode d,
      long generation,
      boolean checkSignatures,
      AllowedSigners signers,
      boolean recording) {
    String decision = d.path("decision").asText("");
    if (!decision.equals(Approvals.APPROVED) && !decision.equals(Approvals.REJECTED)) {
      return "unknown decision \"" + decision + "\"";
    }
    long seen = d.path("generation").asLong(-1);
    if (seen != generation) {
      return "made for generation " + seen + " of the spec, which is now at " + generation;
    }
    String by = d.path("by").asText(null);
    if (by == null || !policy.admits(by, groupsOf(d))) return by + " is not an approver";
    Instant at;
    try {
      at = Instant.parse(d.path("at").asText(""));
    } catch (DateTimeParseException e) {
      return "its time is malformed";
    }
    if (policy.expiresAt() != null && at.isAfter(policy.expiresAt()))
      return "made after the approval expired";
    if (!checkSignatures) return null;
    if (signers == null && !recording) {
      return "signatures are required but no allowed-signers list is configured";
    }
    String armored = d.path("signature").asText(null);
    if (armored == null) return "unsigned";
    SshSig.Parsed parsed;
    try {
      parsed = SshSig.parse(armored);
    } catch (io.division.core.DivisionException e) {
      return e.getMessage();
    }
    DecisionPayload payload = DecisionPayload.of(approval, decision, by, at);
    if (!SshSig.verify(parsed, DecisionPayload.SIGNATURE_NAMESPACE, payload.bytes())) {
      return "the signature does not match this decision";
    }
    if (signers == null) return null; // recording: each waiter checks the key against its own list
    if (signers.find(by, DecisionPayload.SIGNATURE_NAMESPACE, parsed.publicKey()).isEmpty()) {
      return "signed by a key that " + signers.source() + " does not allow for " + by;
    }
    return null;
  }

  private static Set<String> groupsOf(JsonNode decision) {
    Set<String> groups = new LinkedHashSet<>();
    decision.path("groups").forEach(g -> groups.add(g.asText()));
    return groups;
  }

  /**
   * {@code approval} as a waiter should judge it: {@code status.phase} replaced by the computed
   * phase, and {@code status.verification} saying which decisions did not count and why.
   */
  public Resource applyTo(Resource approval) {
    ObjectNode status =
        approval.status() != null && approval.status().isObject()
            ? ((ObjectNode) approval.status()).deepCopy()
            : io.division.core.model.Json.object();
    status.put("phase", phase);
    status.put("approved", progress());
    if (!notes.isEmpty()) {
      var arr = status.putArray("verification");
      notes.forEach(arr::add);
    } else {
      status.remove("verification");
    }
    return approval.withStatus(status);
  }
}

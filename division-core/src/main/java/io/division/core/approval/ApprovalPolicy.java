package io.division.core.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import io.division.core.model.Resource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What an Approval's {@code spec} asks: who may decide ({@code approvers}: user names, AWS ARNs,
 * Jenkins user ids, {@code group:NAME} for a Jenkins group; {@code *} and {@code ?} wildcards, see
 * {@link Wildcards}), how many distinct people must approve ({@code required}, default 1), when it
 * expires ({@code expiresAt}, RFC 3339), whether decisions must be signed ({@code
 * requireSignatures}) and whether a decider may name themselves instead of being identified ({@code
 * allowDeclaredIdentity}). {@code description}, {@code reason} and {@code requester} are shown to
 * approvers.
 *
 * <p>An Approval without {@code approvers}, {@code required} or {@code requireSignatures} keeps the
 * original project's behaviour: its {@code status.phase} is what was written.
 */
public record ApprovalPolicy(
    String description,
    String requester,
    List<String> approvers,
    int required,
    Instant expiresAt,
    boolean requireSignatures,
    boolean allowDeclaredIdentity,
    boolean governed) {

  static final Set<String> FIELDS =
      Set.of(
          "description",
          "reason",
          "requester",
          "approvers",
          "required",
          "expiresAt",
          "requireSignatures",
          "allowDeclaredIdentity");

  public ApprovalPolicy {
    approvers = List.copyOf(approvers);
  }

  /** Reads and checks the policy; a malformed one is INVALID, naming the approval and field. */
  public static ApprovalPolicy of(Resource approval) {
    try {
      return parse(approval.spec());
    } catch (DivisionException e) {
      throw DivisionException.invalid(approval.key() + ": " + e.getMessage());
    }
  }

  /** Reads and checks a spec; errors name the field, not the approval. */
  public static ApprovalPolicy parse(JsonNode spec) {
    if (spec == null || spec.isNull()) spec = io.division.core.model.Json.object();
    if (!spec.isObject()) throw DivisionException.invalid("spec must be an object");
    for (var it = spec.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw DivisionException.invalid(
            "spec."
                + f
                + " is not a field of an Approval (known: "
                + String.join(", ", new java.util.TreeSet<>(FIELDS))
                + ")");
      }
    }
    List<String> approvers = new ArrayList<>();
    JsonNode list = spec.get("approvers");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) throw DivisionException.invalid("spec.approvers must be a list");
      for (JsonNode a : list) {
        if (!a.isTextual() || a.asText().isBlank()) {
          throw DivisionException.invalid("spec.approvers holds a non-name: " + a);
        }
        if (approvers.contains(a.asText())) {
          throw DivisionException.invalid("spec.approvers names " + a.asText() + " twice");
        }
        approvers.add(a.asText());
      }
    }
    int required = 1;
    JsonNode req = spec.get("required");
    if (req != null && !req.isNull()) {
      if (!req.canConvertToInt() || !req.isIntegralNumber() || req.asInt() < 1) {
        throw DivisionException.invalid("spec.required must be a whole number >= 1");
      }
      required = req.asInt();
      if (!approvers.isEmpty() && required > approvers.size()) {
        throw DivisionException.invalid(
            "spec.required is " + required + " but spec.approvers lists only " + approvers.size());
      }
    }
    Instant expires = null;
    JsonNode exp = spec.get("expiresAt");
    if (exp != null && !exp.isNull()) {
      try {
        expires = Instant.parse(exp.asText());
      } catch (DateTimeParseException e) {
        throw DivisionException.invalid(
            "spec.expiresAt must be an RFC 3339 time such as 2026-12-01T18:00:00Z");
      }
    }
    boolean signatures = bool(spec, "requireSignatures");
    boolean declared = bool(spec, "allowDeclaredIdentity");
    String description = text(spec, "description");
    if (description == null) description = text(spec, "reason");
    boolean governed = !approvers.isEmpty() || (req != null && !req.isNull()) || signatures;
    return new ApprovalPolicy(
        description,
        text(spec, "requester"),
        approvers,
        required,
        expires,
        signatures,
        declared,
        governed);
  }

  /** Whether this person (or one of their groups) is on the list; an empty list admits anyone. */
  public boolean admits(String who, Set<String> groups) {
    if (approvers.isEmpty()) return true;
    for (String a : approvers) {
      if (a.startsWith("group:")) {
        String g = a.substring("group:".length());
        if (groups.stream().anyMatch(mine -> Wildcards.matches(g, mine))) return true;
      } else if (Wildcards.matches(a, who)) {
        return true;
      }
    }
    return false;
  }

  public boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  private static boolean bool(JsonNode spec, String field) {
    JsonNode n = spec.get(field);
    if (n == null || n.isNull()) return false;
    if (!n.isBoolean()) throw DivisionException.invalid("spec." + field + " must be true or false");
    return n.asBoolean();
  }

  private static String text(JsonNode spec, String field) {
    JsonNode n = spec.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}

package io.division.core.approval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.approval.sshsig.SigningKey;
import io.division.core.approval.sshsig.SshSig;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import io.division.core.store.StoreException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Human approval. A decision is appended to {@code status.decisions} with who made it (and how we
 * know: {@link Identity}), when, for which generation of the spec, and optionally an SSH signature
 * over exactly those facts; {@code status.phase} is then recomputed by {@link ApprovalState}. The
 * write is a read-modify-write that retries lost races, so two approvers deciding at once are both
 * recorded. A decided approval is final: a rejection ends it, and an approved one is not flipped.
 */
public final class Approvals {
  public static final String APPROVED = "Approved";
  public static final String REJECTED = "Rejected";

  /** How far a pre-signed decision's time may lie from now when it is recorded. */
  private static final Duration SIGNED_AT_TOLERANCE = Duration.ofMinutes(15);

  public enum Outcome {
    DECIDED,
    ALREADY_DECIDED
  }

  public record Decision(Resource resource, Outcome outcome, ApprovalState state) {}

  /** How a decision is signed: nothing, a private key file, or a signature made elsewhere. */
  public sealed interface Signing {
    Signing NONE = new Unsigned();

    record Unsigned() implements Signing {}

    /** Sign here with this OpenSSH private key file. */
    record WithKey(Path privateKey) implements Signing {}

    /**
     * Sign here with a key already in memory: a process that signs for the people it has
     * authenticated (a Jenkins controller for its users) holds its own key.
     */
    record WithSigningKey(SigningKey key) implements Signing {
      public WithSigningKey {
        java.util.Objects.requireNonNull(key, "key");
      }
    }

    /** A payload signed elsewhere (e.g. {@code ssh-keygen -Y sign}) and its armored signature. */
    record Presigned(DecisionPayload payload, String signature) implements Signing {}
  }

  private Approvals() {}

  /**
   * {@code payload} signed by {@code key} (SSHSIG, namespace {@value
   * DecisionPayload#SIGNATURE_NAMESPACE}), as {@code div approve --sign} and {@code ssh-keygen -Y
   * sign -n division-approval} sign it: the signed decision, ready to be recorded.
   */
  public static Signing.Presigned sign(SigningKey key, DecisionPayload payload) {
    return new Signing.Presigned(
        payload, key.sign(DecisionPayload.SIGNATURE_NAMESPACE, payload.bytes()));
  }

  public static Decision approve(
      Store store, ResourceKey key, Identity who, String message, Signing signing, Clock clock) {
    return decide(store, key, APPROVED, who, message, signing, clock);
  }

  public static Decision reject(
      Store store, ResourceKey key, Identity who, String message, Signing signing, Clock clock) {
    return decide(store, key, REJECTED, who, message, signing, clock);
  }

  /**
   * The payload a decider signs elsewhere for {@code decision} now: print it, sign it with {@code
   * ssh-keygen -Y sign -n division-approval}, then record it with {@link Signing.Presigned}.
   */
  public static DecisionPayload payload(
      Store store, ResourceKey key, String decision, Identity who, Clock clock) {
    Resource approval = requireApproval(store.get(key));
    return DecisionPayload.of(
        approval, decision, who.name(), Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
  }

  public static Decision decide(
      Store store,
      ResourceKey key,
      String decision,
      Identity who,
      String message,
      Signing signing,
      Clock clock) {
    if (!APPROVED.equals(decision) && !REJECTED.equals(decision)) {
      throw DivisionException.invalid(
          "a decision is " + APPROVED + " or " + REJECTED + ", not " + decision);
    }
    boolean[] already = {false};
    Resource result =
        store.modify(
            key,
            current -> {
              requireApproval(current);
              Instant now = Instant.now(clock);
              ApprovalPolicy policy = ApprovalPolicy.of(current);
              ApprovalState state = ApprovalState.recorded(current, policy, now);
              // An approval without a policy keeps the original's trust in whatever name is given.
              if (who.source() == Identity.Source.DECLARED
                  && policy.governed()
                  && !policy.allowDeclaredIdentity()) {
                throw DivisionException.forbidden(
                    key
                        + " does not accept a declared identity ("
                        + who.name()
                        + "); decide as yourself, or set spec.allowDeclaredIdentity: true");
              }
              if (!policy.admits(who.name(), who.groups())) {
                throw DivisionException.forbidden(
                    who.name()
                        + " is not an approver of "
                        + key
                        + " (approvers: "
                        + String.join(", ", policy.approvers())
                        + ")");
              }
              if (state.phase().equals(decision)
                  && (state.approvedBy().contains(who.name())
                      || state.rejectedBy().contains(who.name())
                      || !policy.governed())) {
                already[0] = true;
                return current;
              }
              if (APPROVED.equals(state.phase()) || REJECTED.equals(state.phase())) {
                throw new StoreException(
                    StoreException.Reason.CONFLICT,
                    key
                        + " was already "
                        + state.phase().toLowerCase(Locale.ROOT)
                        + " by "
                        + String.join(
                            ", ",
                            state.phase().equals(APPROVED)
                                ? state.approvedBy()
                                : state.rejectedBy())
                        + "; a decision is final",
                    key);
              }
              if (ApprovalState.EXPIRED.equals(state.phase())) {
                throw new DivisionException(
                    DivisionException.Reason.FORBIDDEN,
                    key + " expired at " + policy.expiresAt() + "; ask for a new approval",
                    key.toString());
              }
              if (state.approvedBy().contains(who.name()) && APPROVED.equals(decision)) {
                already[0] = true; // each person counts once
                return current;
              }
              already[0] = false;
              return record(current, decision, who, message, signing, now, policy);
            });
    ApprovalState state = ApprovalState.recorded(result, Instant.now(clock));
    return new Decision(result, already[0] ? Outcome.ALREADY_DECIDED : Outcome.DECIDED, state);
  }

  private static Resource record(
      Resource current,
      String decision,
      Identity who,
      String message,
      Signing signing,
      Instant now,
      ApprovalPolicy policy) {
    Instant at = now.truncatedTo(ChronoUnit.SECONDS);
    String signature = null;
    if (signing instanceof Signing.WithKey k) {
      signature =
          sign(
                  SigningKey.read(k.privateKey()),
                  DecisionPayload.of(current, decision, who.name(), at))
              .signature();
    } else if (signing instanceof Signing.WithSigningKey k) {
      signature = sign(k.key(), DecisionPayload.of(current, decision, who.name(), at)).signature();
    } else if (signing instanceof Signing.Presigned p) {
      DecisionPayload expected =
          DecisionPayload.of(current, decision, who.name(), p.payload().at());
      if (!expected.equals(p.payload())) {
        throw DivisionException.invalid(
            "the signed payload does not match this decision now ("
                + describeMismatch(expected, p.payload())
                + "); print a fresh payload and sign it again");
      }
      if (Duration.between(p.payload().at(), now).abs().compareTo(SIGNED_AT_TOLERANCE) > 0) {
        throw DivisionException.invalid(
            "the signed payload was made at "
                + p.payload().at()
                + ", more than "
                + SIGNED_AT_TOLERANCE.toMinutes()
                + " minutes from now; sign a fresh one");
      }
      SshSig.Parsed parsed = SshSig.parse(p.signature());
      if (!SshSig.verify(parsed, DecisionPayload.SIGNATURE_NAMESPACE, p.payload().bytes())) {
        throw DivisionException.invalid(
            "the signature does not verify over the payload (signed with -n "
                + DecisionPayload.SIGNATURE_NAMESPACE
                + "?)");
      }
      at = p.payload().at();
      signature = p.signature();
    } else if (policy.requireSignatures()) {
      throw DivisionException.invalid(current.key() + " requires signed decisions");
    }
    ObjectNode status =
        current.status() != null && current.status().isObject()
            ? ((ObjectNode) current.status()).deepCopy()
            : Json.object();
    ArrayNode decisions =
        status.path("decisions").isArray()
            ? (ArrayNode) status.get("decisions")
            : status.putArray("decisions");
    ObjectNode d =
        decisions
            .addObject()
            .put("decision", decision)
            .put("by", who.name())
            .put("identity", who.source().label())
            .put("at", at.toString())
            .put(
                "generation",
                current.metadata().generation() == null ? 1 : current.metadata().generation());
    if (!who.groups().isEmpty()) {
      ArrayNode groups = d.putArray("groups");
      who.groups().stream().sorted().forEach(groups::add);
    }
    if (message != null) d.put("message", message);
    if (signature != null) d.put("signature", signature);
    Resource updated = current.withStatus(status);
    ApprovalState state = ApprovalState.recorded(updated, policy, now); // the spec is unchanged
    status.put("phase", state.phase());
    status.put("approved", state.progress());
    status.put("approvedBy", String.join(",", state.approvedBy()));
    if (!state.rejectedBy().isEmpty())
      status.put("rejectedBy", String.join(",", state.rejectedBy()));
    String prefix = decision.equals(APPROVED) ? "approved" : "rejected";
    status.put(prefix + "At", at.toString());
    if (message != null) status.put("message", message);
    return current.withStatus(status);
  }

  private static String describeMismatch(DecisionPayload expected, DecisionPayload got) {
    if (!expected.uid().equals(got.uid()) || !expected.name().equals(got.name()))
      return "another approval";
    if (expected.generation() != got.generation()) {
      return "signed for generation "
          + got.generation()
          + ", the spec is now at "
          + expected.generation();
    }
    if (!expected.decision().equals(got.decision())) return "signed as " + got.decision();
    if (!expected.by().equals(got.by()))
      return "signed for " + got.by() + ", deciding as " + expected.by();
    return "fields differ";
  }

  private static Resource requireApproval(Resource r) {
    if (!BuiltinKinds.APPROVAL.equals(r.kind())) {
      throw DivisionException.invalid(
          "only approvals can be approved or rejected, not a " + r.kind());
    }
    return r;
  }

  /** One approval as a person deciding sees it. */
  public record Pending(Resource approval, ApprovalPolicy policy, ApprovalState state) {}

  /**
   * Approvals still open, in {@code namespace} (null: all), oldest first; with {@code waitingOn},
   * only those that person may decide and has not decided yet.
   */
  public static java.util.List<Pending> open(
      Store store, String namespace, Identity waitingOn, Clock clock) {
    java.util.List<Pending> out = new java.util.ArrayList<>();
    Instant now = Instant.now(clock);
    for (Resource r :
        store
            .list(new io.division.core.store.ListQuery(BuiltinKinds.APPROVAL, namespace, null))
            .items()) {
      ApprovalPolicy policy;
      ApprovalState state;
      try {
        policy = ApprovalPolicy.of(r);
        state = ApprovalState.recorded(r, policy, now);
      } catch (DivisionException e) {
        continue; // written around apply's checks; `get` still shows it
      }
      if (!ApprovalState.PENDING.equals(state.phase())) continue;
      if (waitingOn != null
          && (!policy.admits(waitingOn.name(), waitingOn.groups())
              || state.approvedBy().contains(waitingOn.name()))) {
        continue;
      }
      out.add(new Pending(r, policy, state));
    }
    out.sort(
        java.util.Comparator.comparing(
            p -> String.valueOf(p.approval().metadata().creationTimestamp())));
    return out;
  }

  /** For tables and waiters: the approval as its decisions make it. */
  public static Resource effective(
      Resource approval, Instant now, io.division.core.approval.sshsig.AllowedSigners signers) {
    boolean decided = approval.status() != null && approval.status().has("decisions");
    ApprovalPolicy policy = ApprovalPolicy.of(approval); // read once, for both questions
    if (signers == null && !decided && !policy.governed()) return approval;
    return ApprovalState.evaluate(approval, policy, now, signers).applyTo(approval);
  }
}

package io.division.core.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import io.division.core.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Human approval: a decision is recorded in {@code status} with who made it and when, atomically (a
 * read-modify-write that retries lost races), and is final: a decided approval is not flipped.
 */
public final class Approvals {
  public static final String APPROVED = "Approved";
  public static final String REJECTED = "Rejected";

  public enum Outcome {
    DECIDED,
    ALREADY_DECIDED
  }

  public record Decision(Resource resource, Outcome outcome) {}

  private Approvals() {}

  public static Decision approve(
      Store store, ResourceKey key, String who, String message, Clock clock) {
    return decide(store, key, APPROVED, who, message, clock);
  }

  public static Decision reject(
      Store store, ResourceKey key, String who, String message, Clock clock) {
    return decide(store, key, REJECTED, who, message, clock);
  }

  private static Decision decide(
      Store store, ResourceKey key, String phase, String who, String message, Clock clock) {
    if (who == null || who.isBlank())
      throw DivisionException.invalid("who decides must be known (use --as)");
    boolean[] already = {false};
    Resource result =
        store.modify(
            key,
            current -> {
              String existing = current.statusText("phase");
              if (phase.equals(existing)) {
                already[0] = true;
                return current;
              }
              if (APPROVED.equals(existing) || REJECTED.equals(existing)) {
                throw new StoreException(
                    StoreException.Reason.CONFLICT,
                    key
                        + " was already "
                        + existing.toLowerCase(java.util.Locale.ROOT)
                        + " by "
                        + decidedBy(current)
                        + "; a decision is final",
                    key);
              }
              already[0] = false;
              ObjectNode status =
                  current.status() != null && current.status().isObject()
                      ? ((ObjectNode) current.status()).deepCopy()
                      : Json.object();
              String prefix = phase.equals(APPROVED) ? "approved" : "rejected";
              status.put("phase", phase);
              status.put(prefix + "By", who);
              status.put(
                  prefix + "At", Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
              if (message != null) status.put("message", message);
              else status.remove("message");
              return current.withStatus(status);
            });
    return new Decision(result, already[0] ? Outcome.ALREADY_DECIDED : Outcome.DECIDED);
  }

  private static String decidedBy(Resource r) {
    String by = r.statusText("approvedBy");
    if (by == null) by = r.statusText("rejectedBy");
    return by == null ? "someone" : by;
  }
}

package io.division.core.approval;

import io.division.core.DivisionException;
import io.division.core.model.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exact text a signature covers: which approval (namespace, name and uid, so a signature cannot
 * be replayed onto another approval or a re-created one), the generation of the spec the decider
 * saw (so a changed request needs a new decision), the decision, who and when. One line per field,
 * in a fixed order, so {@code ssh-keygen -Y sign} can sign the same bytes.
 */
public record DecisionPayload(
    String namespace,
    String name,
    String uid,
    long generation,
    String decision,
    String by,
    Instant at) {

  public static final String SIGNATURE_NAMESPACE = "division-approval";
  private static final String HEADER = "division-approval v1";

  public static DecisionPayload of(Resource approval, String decision, String by, Instant at) {
    Long generation = approval.metadata().generation();
    return new DecisionPayload(
        approval.namespace(),
        approval.name(),
        approval.metadata().uid(),
        generation == null ? 1 : generation,
        decision,
        by,
        at);
  }

  public String text() {
    return HEADER
        + "\napproval: "
        + namespace
        + "/"
        + name
        + "\nuid: "
        + uid
        + "\ngeneration: "
        + generation
        + "\ndecision: "
        + decision
        + "\nby: "
        + by
        + "\nat: "
        + at
        + "\n";
  }

  public byte[] bytes() {
    return text().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads a payload written by {@link #text()}; anything else is INVALID. */
  public static DecisionPayload parse(String text) {
    String[] lines = text.replace("\r\n", "\n").split("\n");
    if (lines.length < 7 || !lines[0].equals(HEADER)) {
      throw DivisionException.invalid(
          "not a Division decision payload (it starts with: " + HEADER + ")");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) continue;
      int colon = lines[i].indexOf(": ");
      if (colon < 0)
        throw DivisionException.invalid(
            "decision payload line " + (i + 1) + " is not 'field: value'");
      fields.put(lines[i].substring(0, colon), lines[i].substring(colon + 2));
    }
    try {
      String[] approval = fields.getOrDefault("approval", "").split("/", 2);
      return new DecisionPayload(
          approval[0],
          approval.length > 1 ? approval[1] : "",
          fields.get("uid"),
          Long.parseLong(fields.getOrDefault("generation", "")),
          fields.get("decision"),
          fields.get("by"),
          Instant.parse(fields.getOrDefault("at", "")));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw DivisionException.invalid("decision payload has a malformed generation or time");
    }
  }
}

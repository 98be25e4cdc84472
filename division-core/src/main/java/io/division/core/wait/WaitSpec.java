package io.division.core.wait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.approval.sshsig.AllowedSigners;
import io.division.core.model.Json;
import io.division.core.model.ResourceKey;
import io.division.core.time.Durations;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a wait waits for, as data: it can be saved (Java serialization, {@link #toJson()}) and
 * resumed in another process. Built with {@link #builder()}, which parses and validates everything
 * once; the constructor validates again, so a spec read back from JSON is as sound as a built one.
 *
 * <p>Condition texts in {@link #until()} and {@link #failWhen()} carry their language as a prefix:
 * {@code jsonql=} for the original's expressions, {@code condition=} and {@code jsonpath=} for
 * kubectl's forms.
 *
 * @param key the awaited resource
 * @param until conditions that must all hold (mode CONDITIONS)
 * @param failWhen conditions any of which ends the wait as FAILED (mode CONDITIONS)
 * @param mode what kind of wait
 * @param deadline when the wait times out; null for never
 * @param timeout the length the deadline was set from, for messages; null when not known
 * @param lastSeenVersion the resourceVersion last seen, null before the first read; a resource that
 *     was seen and is then absent was deleted
 * @param allowedSigners the waiter's own allowed-signers list (git's {@code allowed_signers} text),
 *     or null: an Approval is then judged by decisions signed by keys it allows (see {@link
 *     io.division.core.approval.ApprovalState}); it is part of the spec, not of the store, so no
 *     store writer can add a key
 */
public record WaitSpec(
    ResourceKey key,
    List<String> until,
    List<String> failWhen,
    Mode mode,
    Instant deadline,
    Duration timeout,
    String lastSeenVersion,
    String allowedSigners)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Parsed lists by text: a process has few, and many waits share each. */
  private static final java.util.Map<String, AllowedSigners> PARSED_TRUST =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** kubectl's {@code --for delete} and {@code --for create} are about existence, not content. */
  public enum Mode {
    CONDITIONS,
    CREATE,
    DELETE
  }

  public WaitSpec {
    if (key == null) throw DivisionException.invalid("a wait needs the resource it waits on");
    until = List.copyOf(until == null ? List.of() : until);
    failWhen = List.copyOf(failWhen == null ? List.of() : failWhen);
    mode = mode == null ? Mode.CONDITIONS : mode;
    if (lastSeenVersion != null && lastSeenVersion.isEmpty()) lastSeenVersion = null;
    if (allowedSigners != null && allowedSigners.isBlank()) allowedSigners = null;
    if (allowedSigners != null) AllowedSigners.parse(allowedSigners, "allowed signers");
    if (timeout != null && timeout.isNegative())
      throw DivisionException.invalid("a wait's timeout cannot be negative");
    for (String text : until) WaitConditions.parse(text);
    for (String text : failWhen) WaitConditions.parse(text);
    if (mode != Mode.CONDITIONS && !failWhen.isEmpty()) {
      throw DivisionException.invalid(
          "a failure condition does not apply to a wait for "
              + mode.name().toLowerCase(Locale.ROOT));
    }
    if (mode != Mode.CONDITIONS && !until.isEmpty()) {
      throw DivisionException.invalid(
          "a wait for "
              + mode.name().toLowerCase(Locale.ROOT)
              + " cannot be combined with other conditions");
    }
    if (mode == Mode.CONDITIONS && until.isEmpty()) {
      throw DivisionException.invalid(
          "what to wait for is missing: a condition, a creation or a deletion");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec's values, to derive another. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.key = key;
    b.until.addAll(until);
    b.failWhen.addAll(failWhen);
    b.mode = mode;
    b.deadline = deadline;
    b.timeout = timeout;
    b.lastSeenVersion = lastSeenVersion;
    b.allowedSigners = allowedSigners;
    return b;
  }

  /** The allowed-signers list, parsed; null when the waiter gave none. */
  public AllowedSigners trust() {
    return allowedSigners == null
        ? null
        : PARSED_TRUST.computeIfAbsent(
            allowedSigners, t -> AllowedSigners.parse(t, "the waiter's allowed-signers list"));
  }

  /** This spec, advanced to a resourceVersion just seen (the same spec when nothing changed). */
  public WaitSpec seenAt(String resourceVersion) {
    if (resourceVersion == null || resourceVersion.equals(lastSeenVersion)) return this;
    return new WaitSpec(
        key, until, failWhen, mode, deadline, timeout, resourceVersion, allowedSigners);
  }

  /**
   * What is awaited, in words: {@code approval/a1: status.phase = 'Approved'}, {@code approval/a1
   * deletion}.
   */
  public String describe() {
    return switch (mode) {
      case DELETE -> key + " deletion";
      case CREATE -> key + " creation";
      case CONDITIONS ->
          key
              + ": "
              + until.stream()
                  .map(t -> WaitConditions.parse(t).describe())
                  .collect(Collectors.joining(" and "));
    };
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("kind", key.kind());
    o.put("namespace", key.namespace());
    o.put("name", key.name());
    until.forEach(o.putArray("until")::add);
    failWhen.forEach(o.putArray("failWhen")::add);
    o.put("mode", mode.name());
    if (deadline != null) o.put("deadline", deadline.toString());
    if (timeout != null) o.put("timeout", Durations.format(timeout));
    if (lastSeenVersion != null) o.put("lastSeenVersion", lastSeenVersion);
    if (allowedSigners != null) o.put("allowedSigners", allowedSigners);
    return o;
  }

  /** Reads what {@link #toJson()} wrote; anything malformed is INVALID, naming the field. */
  public static WaitSpec fromJson(JsonNode json) {
    if (json == null || !json.isObject())
      throw DivisionException.invalid("a wait spec must be a JSON object");
    String kind = text(json, "kind", true);
    String name = text(json, "name", true);
    String namespace = text(json, "namespace", false);
    String modeText = text(json, "mode", false);
    Mode mode;
    try {
      mode = modeText == null ? Mode.CONDITIONS : Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw DivisionException.invalid(
          "wait spec: mode must be CONDITIONS, CREATE or DELETE, not \"" + modeText + "\"");
    }
    String deadlineText = text(json, "deadline", false);
    Instant deadline;
    try {
      deadline = deadlineText == null ? null : Instant.parse(deadlineText);
    } catch (DateTimeParseException e) {
      throw DivisionException.invalid(
          "wait spec: deadline must be an ISO-8601 instant, not \"" + deadlineText + "\"");
    }
    String timeoutText = text(json, "timeout", false);
    return new WaitSpec(
        new ResourceKey(kind, namespace, name),
        texts(json, "until"),
        texts(json, "failWhen"),
        mode,
        deadline,
        timeoutText == null ? null : Durations.parse(timeoutText),
        text(json, "lastSeenVersion", false),
        text(json, "allowedSigners", false));
  }

  private static String text(JsonNode json, String field, boolean required) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      if (required) throw DivisionException.invalid("wait spec: " + field + " is missing");
      return null;
    }
    if (!v.isValueNode()) throw DivisionException.invalid("wait spec: " + field + " must be text");
    return v.asText();
  }

  private static List<String> texts(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) return List.of();
    if (!v.isArray()) throw DivisionException.invalid("wait spec: " + field + " must be a list");
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual())
        throw DivisionException.invalid("wait spec: every " + field + " entry must be text");
      out.add(item.asText());
    }
    return out;
  }

  /** Collects a wait's parts from user input; {@link #build()} validates them. */
  public static final class Builder {
    private ResourceKey key;
    private final List<String> until = new ArrayList<>();
    private final List<String> failWhen = new ArrayList<>();
    private Mode mode;
    private Instant deadline;
    private Duration timeout;
    private String lastSeenVersion;
    private String allowedSigners;

    private Builder() {}

    public Builder key(ResourceKey key) {
      this.key = key;
      return this;
    }

    /**
     * A condition in the original's expression language, with or without its {@code jsonql=}
     * prefix: {@code status.phase = 'Approved'}, {@code jsonql="status.phase = 'Approved'"}.
     */
    public Builder until(String expression) {
      until.add(WaitConditions.expression(expression));
      return this;
    }

    /**
     * One of kubectl's {@code --for} forms: {@code condition=Ready[=False]}, {@code
     * jsonpath='{.status.phase}'=Done}, {@code delete}, {@code create}.
     */
    public Builder waitFor(String form) {
      String f = Objects.requireNonNull(form, "form").trim();
      String lower = f.toLowerCase(Locale.ROOT);
      if (lower.equals("delete")) return mode(Mode.DELETE);
      if (lower.equals("create")) return mode(Mode.CREATE);
      until.add(WaitConditions.kubectlForm(f));
      return this;
    }

    /** A condition (expression language) that ends the wait as FAILED when it holds. */
    public Builder failWhen(String expression) {
      failWhen.add(WaitConditions.expression(expression));
      return this;
    }

    public Builder mode(Mode mode) {
      if (this.mode != null && mode != null && this.mode != mode)
        throw DivisionException.invalid("a wait is for creation or for deletion, not both");
      this.mode = mode;
      return this;
    }

    /** The absolute moment the wait times out (null: never). */
    public Builder deadline(Instant deadline) {
      this.deadline = deadline;
      return this;
    }

    /** Times out {@code timeout} from now on {@code clock} (null: never). */
    public Builder timeout(Duration timeout, Clock clock) {
      if (timeout == null) {
        this.timeout = null;
        this.deadline = null;
        return this;
      }
      if (timeout.isNegative()) throw DivisionException.invalid("a timeout cannot be negative");
      this.timeout = timeout;
      this.deadline = clock.instant().plus(timeout);
      return this;
    }

    public Builder lastSeenVersion(String version) {
      this.lastSeenVersion = version;
      return this;
    }

    /**
     * The waiter's allowed-signers list (the text of an {@code allowed_signers} file): approvals
     * then count only decisions signed by a key it allows for the decider.
     */
    public Builder allowedSigners(String text) {
      this.allowedSigners = text;
      return this;
    }

    public WaitSpec build() {
      return new WaitSpec(
          key, until, failWhen, mode, deadline, timeout, lastSeenVersion, allowedSigners);
    }
  }
}

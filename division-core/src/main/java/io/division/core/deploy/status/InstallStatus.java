package io.division.core.deploy.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.deploy.Phases;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An Install's status, written by the gateway of its cluster: the phase of the current attempt
 * (Pending → Running → Succeeded | Failed), who runs it and how, where its log starts ({@code
 * logStart}: the first log line of this attempt), and the earlier attempts in {@code history}.
 */
public record InstallStatus(
    String phase,
    int attempt,
    Instant startedAt,
    Instant finishedAt,
    String message,
    String gateway,
    String executor,
    String executorObject,
    String executorState,
    Long logStart,
    List<Attempt> history) {

  private static final Set<String> PHASES =
      Set.of(Phases.PENDING, Phases.RUNNING, Phases.SUCCEEDED, Phases.FAILED);

  /** An earlier attempt, as it ended ({@code Interrupted} when a gateway stopped under it). */
  public record Attempt(
      int attempt,
      String phase,
      String message,
      Instant startedAt,
      Instant finishedAt,
      String executorState) {
    public Attempt {
      Objects.requireNonNull(phase, "phase");
    }

    ObjectNode toJson() {
      ObjectNode o = Json.object().put("attempt", attempt).put("phase", phase);
      Fields.put(o, "message", message);
      Fields.put(o, "startedAt", startedAt);
      Fields.put(o, "finishedAt", finishedAt);
      Fields.put(o, "executorState", executorState);
      return o;
    }
  }

  public InstallStatus {
    if (!PHASES.contains(phase))
      throw DivisionException.invalid(
          "phase must be one of Pending, Running, Succeeded, Failed, not " + phase);
    if (attempt < 0) throw DivisionException.invalid("attempt must not be negative");
    history = List.copyOf(history == null ? List.of() : history);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.phase = phase;
    b.attempt = attempt;
    b.startedAt = startedAt;
    b.finishedAt = finishedAt;
    b.message = message;
    b.gateway = gateway;
    b.executor = executor;
    b.executorObject = executorObject;
    b.executorState = executorState;
    b.logStart = logStart;
    b.history = new ArrayList<>(history);
    return b;
  }

  /** The status of an Install, or null if no gateway has written one yet. */
  public static InstallStatus from(Resource install) {
    Fields f = Fields.status(install);
    if (!f.present()) return null;
    Builder b =
        builder()
            .phase(f.requiredText("phase"))
            .attempt(f.integer("attempt") == null ? 0 : f.integer("attempt"))
            .startedAt(f.instant("startedAt"))
            .finishedAt(f.instant("finishedAt"))
            .message(f.text("message"))
            .gateway(f.text("gateway"))
            .executor(f.text("executor"))
            .executorObject(f.text("executorObject"))
            .executorState(f.text("executorState"))
            .logStart(f.whole("logStart"));
    JsonNode history = f.array("history");
    if (history != null) {
      for (int i = 0; i < history.size(); i++) {
        Fields h = f.nested(history.get(i), "history[" + i + "]");
        String phase = h.requiredText("phase");
        b.history.add(
            new Attempt(
                h.positive("attempt", 1),
                phase,
                h.text("message"),
                h.instant("startedAt"),
                h.instant("finishedAt"),
                h.text("executorState")));
      }
    }
    if (!PHASES.contains(b.phase))
      throw f.invalid(
          "phase", "must be one of Pending, Running, Succeeded, Failed, not \"" + b.phase + "\"");
    try {
      return b.build();
    } catch (DivisionException e) {
      throw f.invalid(e);
    }
  }

  public boolean terminal() {
    return Phases.terminal(phase);
  }

  public boolean succeeded() {
    return Phases.SUCCEEDED.equals(phase);
  }

  /** How many earlier attempts ended with {@code phase}. */
  public long attemptsEndedAs(String endPhase) {
    return history.stream().filter(a -> a.phase().equals(endPhase)).count();
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object().put("phase", phase).put("attempt", attempt);
    Fields.put(o, "startedAt", startedAt);
    Fields.put(o, "finishedAt", finishedAt);
    Fields.put(o, "message", message);
    Fields.put(o, "gateway", gateway);
    Fields.put(o, "executor", executor);
    Fields.put(o, "executorObject", executorObject);
    Fields.put(o, "executorState", executorState);
    if (logStart != null) o.put("logStart", logStart);
    if (!history.isEmpty()) {
      ArrayNode h = o.putArray("history");
      for (Attempt a : history) h.add(a.toJson());
    }
    return o;
  }

  public static final class Builder {
    private String phase;
    private int attempt;
    private Instant startedAt;
    private Instant finishedAt;
    private String message;
    private String gateway;
    private String executor;
    private String executorObject;
    private String executorState;
    private Long logStart;
    private List<Attempt> history = new ArrayList<>();

    private Builder() {}

    public Builder phase(String v) {
      phase = v;
      return this;
    }

    public Builder attempt(int v) {
      attempt = v;
      return this;
    }

    public Builder startedAt(Instant v) {
      startedAt = v;
      return this;
    }

    public Builder finishedAt(Instant v) {
      finishedAt = v;
      return this;
    }

    public Builder message(String v) {
      message = v;
      return this;
    }

    public Builder gateway(String v) {
      gateway = v;
      return this;
    }

    public Builder executor(String v) {
      executor = v;
      return this;
    }

    public Builder executorObject(String v) {
      executorObject = v;
      return this;
    }

    public Builder executorState(String v) {
      executorState = v;
      return this;
    }

    public Builder logStart(Long v) {
      logStart = v;
      return this;
    }

    public Builder history(List<Attempt> v) {
      history = new ArrayList<>(v);
      return this;
    }

    /** Appends an ended attempt to the history. */
    public Builder ended(Attempt a) {
      history.add(a);
      return this;
    }

    public InstallStatus build() {
      return new InstallStatus(
          phase,
          attempt,
          startedAt,
          finishedAt,
          message,
          gateway,
          executor,
          executorObject,
          executorState,
          logStart,
          history);
    }
  }
}

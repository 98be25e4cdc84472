package io.division.gateway;

import io.division.core.DivisionException;
import io.division.core.deploy.GatewayOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a gateway process is started with, as {@code div gateway} and {@link GatewayMain} take
 * it on their command lines: which cluster, which executor and its configuration, the health
 * endpoint. Only the cluster's admins set these; nothing here comes from the store.
 */
public record GatewaySettings(
    GatewayOptions options,
    ExecutorKind executor,
    List<String> command,
    Path workingDir,
    Path stateDir,
    Path jobTemplate,
    String brigadeNamespace,
    Path brigadeScript,
    String brigadeProject,
    int healthPort,
    String healthAddress) {

  /** The loopback address: probes from outside the host need the address set explicitly. */
  public static final String DEFAULT_HEALTH_ADDRESS = "127.0.0.1";

  public enum ExecutorKind {
    process,
    kubernetes,
    brigade
  }

  public GatewaySettings {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(executor, "executor");
    command = command == null ? List.of() : List.copyOf(command);
    if (executor != ExecutorKind.process && !command.isEmpty())
      throw DivisionException.invalid(
          "a COMMAND is for the process executor only; the "
              + executor
              + " executor takes its own configuration");
    if (executor == ExecutorKind.process && command.isEmpty())
      throw DivisionException.invalid(
          "the process executor needs a command, given after -- (for example: -- ./deploy.sh)");
    if (healthPort < -1 || healthPort > 65535)
      throw DivisionException.invalid("the health port must be 0-65535 (or -1 for none)");
    if (healthAddress == null || healthAddress.isBlank()) healthAddress = DEFAULT_HEALTH_ADDRESS;
  }

  public static Builder builder(String cluster) {
    return new Builder(cluster);
  }

  public static final class Builder {
    private final GatewayOptions.Builder options;
    private ExecutorKind executor = ExecutorKind.process;
    private List<String> command = List.of();
    private Path workingDir;
    private Path stateDir;
    private Path jobTemplate;
    private String brigadeNamespace;
    private Path brigadeScript;
    private String brigadeProject;
    private int healthPort = -1;
    private String healthAddress = DEFAULT_HEALTH_ADDRESS;

    private Builder(String cluster) {
      this.options = GatewayOptions.builder(cluster);
    }

    public Builder project(String project) {
      options.project(project);
      return this;
    }

    public Builder watchNamespace(String namespace) {
      options.namespace(namespace);
      return this;
    }

    public Builder installTimeout(Duration timeout) {
      options.installTimeout(timeout);
      return this;
    }

    public Builder heartbeat(Duration every) {
      options.heartbeatEvery(every);
      return this;
    }

    public Builder executor(ExecutorKind executor) {
      this.executor = executor;
      return this;
    }

    /** The process executor's command and arguments. */
    public Builder command(List<String> command) {
      this.command = command;
      return this;
    }

    /** Where the process executor runs its command (default: the gateway's own directory). */
    public Builder workingDir(Path workingDir) {
      this.workingDir = workingDir;
      return this;
    }

    /**
     * Where the process executor keeps what it must know after a restart (default: under the
     * Division home).
     */
    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    public Builder jobTemplate(Path jobTemplate) {
      this.jobTemplate = jobTemplate;
      return this;
    }

    public Builder brigadeNamespace(String brigadeNamespace) {
      this.brigadeNamespace = brigadeNamespace;
      return this;
    }

    public Builder brigadeScript(Path brigadeScript) {
      this.brigadeScript = brigadeScript;
      return this;
    }

    public Builder brigadeProject(String brigadeProject) {
      this.brigadeProject = brigadeProject;
      return this;
    }

    /** Serve /healthz and /metrics on this port (-1: not at all; 0: any free port). */
    public Builder healthPort(int healthPort) {
      this.healthPort = healthPort;
      return this;
    }

    public Builder healthAddress(String healthAddress) {
      this.healthAddress = healthAddress;
      return this;
    }

    public GatewaySettings build() {
      return new GatewaySettings(
          options.build(),
          executor,
          command,
          workingDir,
          stateDir,
          jobTemplate,
          brigadeNamespace,
          brigadeScript,
          brigadeProject,
          healthPort,
          healthAddress);
    }
  }
}

package io.division.jenkins;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.jenkinsci.plugins.workflow.steps.Step;

/**
 * Runs a scripted Jenkinsfile as plain Groovy: the Division steps are the plugin's real step
 * classes and executions (over the test's {@link StepRuntime}), and the Jenkins basics are simple
 * stand-ins whose calls are recorded: which stages ran, what {@code sh} was asked to run, what was
 * echoed, and whether each Division step ran inside {@code node {}}.
 */
final class JenkinsfileRunner {
  static final String RUNNER = "__divisionRunner";

  /** A Division step call: its function name, arguments, and whether it held a node. */
  record StepCall(String function, Map<String, Object> arguments, boolean insideNode) {}

  static final Map<String, Class<? extends Step>> STEPS = new LinkedHashMap<>();

  static {
    STEPS.put(DivApplyStep.FUNCTION, DivApplyStep.class);
    STEPS.put(DivGetStep.FUNCTION, DivGetStep.class);
    STEPS.put(DivWaitStep.FUNCTION, DivWaitStep.class);
    STEPS.put(DivDeployStep.FUNCTION, DivDeployStep.class);
  }

  final Map<String, Object> env = new LinkedHashMap<>();
  final List<String> stages = new CopyOnWriteArrayList<>();
  final List<String> shell = new CopyOnWriteArrayList<>();
  final List<String> echoed = new CopyOnWriteArrayList<>();
  final List<StepCall> calls = new CopyOnWriteArrayList<>();
  final StringBuilder log = new StringBuilder();
  Map<String, Object> checkoutResult = Map.of("GIT_COMMIT", "0000000");
  Duration stepTimeout = Duration.ofMinutes(2);
  private int nodeDepth;

  Object run(Path jenkinsfile) throws Exception {
    CompilerConfiguration config = new CompilerConfiguration();
    config.setScriptBaseClass(PipelineScript.class.getName());
    Binding binding = new Binding();
    binding.setVariable(RUNNER, this);
    binding.setVariable("env", env);
    binding.setVariable("scm", "scm");
    GroovyShell shell = new GroovyShell(getClass().getClassLoader(), binding, config);
    return shell.evaluate(Files.readString(jenkinsfile), jenkinsfile.getFileName().toString());
  }

  boolean isStep(String name) {
    return STEPS.containsKey(name);
  }

  Object step(String function, Map<String, Object> arguments) throws Exception {
    calls.add(new StepCall(function, new LinkedHashMap<>(arguments), nodeDepth > 0));
    Step step = StepBinder.instantiate(STEPS.get(function), arguments);
    StepRunner.Started started = StepRunner.start(step);
    try {
      return StepRunner.await(started.context(), stepTimeout);
    } finally {
      synchronized (log) {
        log.append(started.context().log());
      }
      started.context().forget();
    }
  }

  Object node(String label, Closure<?> body) {
    nodeDepth++;
    try {
      return body.call();
    } finally {
      nodeDepth--;
    }
  }

  Object stage(String name, Closure<?> body) {
    stages.add(name);
    return body.call();
  }

  Object sh(Map<String, Object> args) {
    if (nodeDepth == 0)
      throw new IllegalStateException("sh needs a workspace: call it inside node {}");
    shell.add(String.valueOf(args.get("script")));
    return Boolean.TRUE.equals(args.get("returnStdout")) ? "" : null;
  }

  void echo(String message) {
    echoed.add(message);
  }

  Map<String, Object> checkout(Object scm) {
    if (nodeDepth == 0) throw new IllegalStateException("checkout needs a workspace");
    return new LinkedHashMap<>(checkoutResult);
  }

  List<String> functionsCalled() {
    List<String> out = new ArrayList<>();
    for (StepCall c : calls) out.add(c.function());
    return out;
  }

  String log() {
    synchronized (log) {
      return log.toString();
    }
  }
}

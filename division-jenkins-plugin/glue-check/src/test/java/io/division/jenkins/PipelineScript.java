package io.division.jenkins;

import groovy.lang.Closure;
import groovy.lang.MissingMethodException;
import groovy.lang.Script;
import java.util.Map;

/**
 * The base class a Jenkinsfile runs as in the glue tests: {@code node}, {@code stage}, {@code sh},
 * {@code echo}, {@code checkout} and {@code error} are simple stand-ins recorded by the {@link
 * JenkinsfileRunner}; any other method name must be one of the Division steps, built from its named
 * arguments as Jenkins builds it (so a misspelled parameter fails) and run through its execution.
 */
public abstract class PipelineScript extends Script {
  private JenkinsfileRunner runner() {
    return (JenkinsfileRunner) getBinding().getVariable(JenkinsfileRunner.RUNNER);
  }

  public Object node(Closure<?> body) {
    return runner().node(null, body);
  }

  public Object node(String label, Closure<?> body) {
    return runner().node(label, body);
  }

  public Object stage(String name, Closure<?> body) {
    return runner().stage(name, body);
  }

  public Object sh(String script) {
    return runner().sh(Map.of("script", script));
  }

  public Object sh(Map<String, Object> args) {
    return runner().sh(args);
  }

  public void echo(Object message) {
    runner().echo(String.valueOf(message));
  }

  public void error(Object message) {
    throw new IllegalStateException(String.valueOf(message));
  }

  public Map<String, Object> checkout(Object scm) {
    return runner().checkout(scm);
  }

  public Object methodMissing(String name, Object args) throws Exception {
    Object[] list = (Object[]) args;
    if (list.length == 1 && list[0] instanceof Map<?, ?> named) {
      @SuppressWarnings("unchecked")
      Map<String, Object> arguments = (Map<String, Object>) named;
      if (runner().isStep(name)) return runner().step(name, arguments);
    }
    throw new MissingMethodException(name, getClass(), list);
  }
}

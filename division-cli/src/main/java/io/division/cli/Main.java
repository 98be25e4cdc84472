package io.division.cli;

/** The only place that exits the JVM. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    StartupTrace.mark("main");
    int code = new Div(System.out, System.err, System.in, System.getenv()).run(args);
    System.out.flush();
    StartupTrace.mark("exit");
    StartupTrace.report(System.err);
    System.exit(code);
  }
}

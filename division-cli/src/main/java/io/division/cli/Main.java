package io.division.cli;

/** The only place that exits the JVM. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = new Div(System.out, System.err, System.in, System.getenv()).run(args);
    System.out.flush();
    System.exit(code);
  }
}

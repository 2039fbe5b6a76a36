package dev.tracefix.server.cli;

/** Entry point of the {@code tracefix} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("tracefix");
  }
}

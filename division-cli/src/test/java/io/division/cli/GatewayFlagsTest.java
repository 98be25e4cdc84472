package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.division.gateway.GatewayMain;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The container's entry point and {@code div gateway} take the same options. */
class GatewayFlagsTest {
  @Test
  void gatewayMainTakesEveryOptionOfDivGateway() {
    CommandLine div =
        new Div(new PrintStream(System.out), new PrintStream(System.err), System.in, Map.of())
            .commandLine();
    Set<String> cli = new TreeSet<>();
    div.getSubcommands()
        .get("gateway")
        .getCommandSpec()
        .options()
        .forEach(o -> cli.add(o.longestName()));
    cli.removeAll(Set.of("--help", "--config", "--namespace"));
    assertThat(cli).isNotEmpty().containsExactlyInAnyOrderElementsOf(GatewayMain.OPTIONS);
  }
}

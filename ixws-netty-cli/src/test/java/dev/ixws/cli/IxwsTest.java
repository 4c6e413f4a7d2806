package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class IxwsTest {

  @Test
  void versionPrintsTheBuildVersion() {
    CommandRun run = CommandRun.runToEnd("--version");

    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    String first = run.out.next();
    assertTrue(first.matches("ixws \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), first);
    String second = run.out.next();
    assertTrue(second.startsWith("Java " + Runtime.version() + " ("), second);
    run.out.assertNoMoreLines();
  }

  @Test
  void helpListsEveryCommand() {
    CommandRun run = CommandRun.runToEnd("--help");

    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    assertEquals("Usage: ixws [-hV] COMMAND", run.out.next());
    run.out.nextStartingWith("  echo-server ");
    run.out.nextStartingWith("  connect ");
    run.out.nextStartingWith("  autobahn ");
    run.out.nextStartingWith("  bench ");
    // The command has exited: what is left is the wrapped end of bench's description.
    assertEquals(
        List.of("in flight each."), run.out.skipRemaining().stream().map(String::strip).toList());
  }

  @Test
  void noCommandIsAUsageError() {
    CommandRun run = CommandRun.runToEnd();

    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    assertEquals("Missing command", run.err.next());
    assertEquals("Usage: ixws [-hV] COMMAND", run.err.next());
    run.err.nextStartingWith("  echo-server ");
    run.err.nextStartingWith("  connect ");
    run.err.nextStartingWith("  autobahn ");
    run.err.nextStartingWith("  bench ");
    // The command has exited: what is left is the wrapped end of bench's description.
    assertEquals(
        List.of("in flight each."), run.err.skipRemaining().stream().map(String::strip).toList());
    run.out.assertNoMoreLines();
  }

  @Test
  void unknownOptionIsAUsageError() {
    CommandRun run = CommandRun.runToEnd("echo-server", "--no-such-option");

    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    assertEquals("Unknown option: '--no-such-option'", run.err.next());
    assertTrue(run.err.next().startsWith("Usage: ixws echo-server [-hqV] "));
    run.err.nextStartingWith("  -p, --port=PORT ");
    // The command has exited: the rest is echo-server's usage help, not this test's subject.
    run.err.skipRemaining();
    run.out.assertNoMoreLines();
  }
}

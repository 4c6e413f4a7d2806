package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  }

  @Test
  void helpListsEveryCommand() {
    CommandRun run = CommandRun.runToEnd("--help");

    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    assertEquals("Usage: ixws [-hV] COMMAND", run.out.next());
    run.out.nextStartingWith("  echo-server ");
    run.out.nextStartingWith("  connect ");
    run.out.nextStartingWith("  autobahn ");
  }

  @Test
  void noCommandIsAUsageError() {
    CommandRun run = CommandRun.runToEnd();

    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    assertEquals("Missing command", run.err.next());
    assertEquals("Usage: ixws [-hV] COMMAND", run.err.next());
  }

  @Test
  void unknownOptionIsAUsageError() {
    CommandRun run = CommandRun.runToEnd("echo-server", "--no-such-option");

    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    assertEquals("Unknown option: '--no-such-option'", run.err.next());
  }
}

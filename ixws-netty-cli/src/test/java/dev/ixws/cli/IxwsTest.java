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

  /** Every command in the order {@code --help} lists them, as each line of the list starts. */
  private static final List<String> COMMANDS =
      List.of(
          "  help ",
          "  echo-server, echo_server ",
          "  broadcast-server, broadcast_server ",
          "  push-server, push_server ",
          "  proxy-server, proxy_server ",
          "  connect ",
          "  autoroute ",
          "  ping ",
          "  chat ",
          "  transfer ",
          "  send ",
          "  receive ",
          "  autobahn ",
          "  curl ",
          "  httpd ",
          "  dnslookup ",
          "  gzip ",
          "  gunzip ",
          "  bench ");

  @Test
  void helpListsEveryCommand() {
    CommandRun run = CommandRun.runToEnd("--help");

    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    assertEquals("Usage: ixws [-hV] [--logfile=FILE] [--pidfile=FILE] COMMAND", run.out.next());
    assertCommandList(run.out);
  }

  @Test
  void noCommandIsAUsageError() {
    CommandRun run = CommandRun.runToEnd();

    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    assertEquals("Missing command", run.err.next());
    assertEquals("Usage: ixws [-hV] [--logfile=FILE] [--pidfile=FILE] COMMAND", run.err.next());
    assertCommandList(run.err);
    run.out.assertNoMoreLines();
  }

  /** The command list follows, each command on one line with its summary. */
  private static void assertCommandList(CapturedLines lines) {
    lines.nextStartingWith("Commands:");
    // The command has exited: every line left is part of the list.
    List<String> entries = lines.skipRemaining();
    assertEquals(COMMANDS.size(), entries.size(), String.join("\n", entries));
    for (int i = 0; i < COMMANDS.size(); i++) {
      String entry = entries.get(i);
      assertTrue(entry.startsWith(COMMANDS.get(i)), "expected " + COMMANDS.get(i) + ": " + entry);
      assertTrue(entry.substring(COMMANDS.get(i).length()).strip().length() > 10, entry);
      assertTrue(entry.length() <= 80, entry);
    }
  }

  @Test
  void unknownOptionIsAUsageError() {
    CommandRun run = CommandRun.runToEnd("echo-server", "--no-such-option");

    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    assertEquals("Unknown option: '--no-such-option'", run.err.next());
    // The command's one-line summary heads its usage.
    assertEquals("Echo every message back to its sender.", run.err.next());
    assertTrue(run.err.next().startsWith("Usage: ixws echo-server [-6ghpqvVx] "));
    // -p is IX's "disable pong"; the port has no short form.
    run.err.nextStartingWith("      --port=PORT ");
    // The command has exited: the rest is echo-server's usage help, not this test's subject.
    run.err.skipRemaining();
    run.out.assertNoMoreLines();
  }
}

package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DnsLookupCommandTest {

  @Test
  void localhostResolvesToTheLoopbackInIxsFormat() {
    CommandRun run = CommandRun.runToEnd("dnslookup", "localhost");

    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    // /etc/hosts maps localhost to 127.0.0.1 (and maybe ::1 after it).
    assertEquals("host: localhost ip: 127.0.0.1", run.out.next());
    run.out.skipRemaining();
    run.err.assertNoMoreLines();
  }

  @Test
  void anAddressLiteralIsItsOwnAnswer() {
    CommandRun run = CommandRun.runToEnd("dnslookup", "::1");

    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    assertEquals("host: ::1 ip: 0:0:0:0:0:0:0:1", run.out.next());
    run.out.assertNoMoreLines();
  }

  @Test
  void aNameThatDoesNotResolveFailsWithOneLine() {
    // RFC 6761: .invalid never resolves.
    CommandRun run = CommandRun.runToEnd("dnslookup", "no-such-host.invalid");

    assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
    assertEquals("Error: cannot resolve no-such-host.invalid: unknown host", run.err.next());
    run.err.assertNoMoreLines();
    run.out.assertNoMoreLines();
  }
}

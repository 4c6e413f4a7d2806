package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PingCommandTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

  private CommandRun server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.interrupt();
      server.awaitExit();
    }
  }

  @Test
  void eachLineIsAPingAndEachPongIsPrintedWithItsRoundTrip() {
    server = CommandRun.start("echo-server", "--port", "0", "-q");
    Matcher listening = LISTENING.matcher(server.out.next());
    assertTrue(listening.matches());
    String url = "ws://127.0.0.1:" + listening.group(1) + "/";

    CommandRun ping = CommandRun.start("ping", url);
    assertEquals("Connected to " + url, ping.nextOut());
    ping.type("hello");
    assertPong("hello", ping.nextOut());
    ping.type("grüße");
    assertPong("grüße", ping.nextOut());

    // 125 bytes is the most a control frame carries; 126 is refused and nothing is sent.
    ping.type("x".repeat(126));
    assertEquals(
        "Error: not sent: ping payload is 126 bytes; a control frame carries at most 125 (RFC"
            + " 6455 section 5.5)",
        ping.err.next());
    ping.type("y".repeat(125));
    assertPong("y".repeat(125), ping.nextOut());

    ping.closeStdin();
    assertEquals(Ixws.EXIT_OK, ping.awaitExit());
    assertEquals("Connection closed: code 1000 reason \"Normal closure\"", ping.nextOut());
    ping.out.assertNoMoreLines();
    ping.err.assertNoMoreLines();
  }

  @Test
  void pythonWebsocketsAnswersThePings() {
    try (PythonPeer peer = PythonPeer.silentServer()) {
      String url = "ws://127.0.0.1:" + peer.port() + "/";
      CommandRun ping = CommandRun.start("ping", url);
      assertEquals("Connected to " + url, ping.nextOut());
      ping.type("are you there?");
      assertPong("are you there?", ping.nextOut());
      ping.type("/close");
      assertEquals("Connection closed: code 1000 reason \"Normal closure\"", ping.nextOut());
      assertEquals(Ixws.EXIT_OK, ping.awaitExit());
      ping.err.assertNoMoreLines();
    }
  }

  @Test
  void refusedConnectionExitsWithFailure() {
    server = CommandRun.start("echo-server", "--port", "0", "-q");
    Matcher listening = LISTENING.matcher(server.out.next());
    assertTrue(listening.matches());
    server.interrupt();
    assertEquals(Ixws.EXIT_INTERRUPTED, server.awaitExit());
    server = null;

    CommandRun ping = CommandRun.runToEnd("ping", "ws://127.0.0.1:" + listening.group(1) + "/");
    assertEquals(Ixws.EXIT_FAILURE, ping.awaitExit());
    assertTrue(ping.err.next().startsWith("Error: Unable to connect to 127.0.0.1"));
  }

  private static void assertPong(String payload, String line) {
    assertTrue(
        line.matches("Pong: " + Pattern.quote(payload) + " \\(round trip \\d+\\.\\d{3} ms\\)"),
        line);
  }
}

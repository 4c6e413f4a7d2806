package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.testkit.EventRecorder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PushServerAndAutorouteTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

  private CommandRun server;
  private WebSocket client;

  @AfterEach
  void stopEverything() {
    if (client != null) {
      client.stop();
    }
    if (server != null) {
      server.interrupt();
      server.awaitExit();
    }
  }

  @Test
  void pushServerSendsNMessagesThenEchoes() {
    server = CommandRun.start("push_server", "--port", "0", "--send_msg", "tick");
    int port = listeningPort(server);
    EventRecorder<WebSocketMessage> events = connect("ws://127.0.0.1:" + port + "/3");

    for (int i = 0; i < 3; i++) {
      assertEquals("tick", events.next().str());
    }
    assertTrue(client.send("echo?").success());
    assertEquals("echo?", events.next().str());
    assertTrue(
        server
            .out
            .next()
            .matches(
                "Connection \\d+ opened from 127\\.0\\.0\\.1:\\d+, uri /3, pushing 3 messages"));
    client.stop();
    assertEquals(1000, events.next().closeInfo().code());
    client = null;
    assertTrue(server.out.next().matches("Connection \\d+ closed: code 1000 .*"));
  }

  @Test
  void pushServerClosesATargetThatIsNotACountWith1008() {
    server = CommandRun.start("push-server", "--port", "0", "-q");
    EventRecorder<WebSocketMessage> events =
        connect("ws://127.0.0.1:" + listeningPort(server) + "/lots");

    WebSocketMessage close = events.next();
    assertEquals(WebSocketMessageType.CLOSE, close.type(), close.toString());
    assertEquals(1008, close.closeInfo().code());
    assertTrue(close.closeInfo().remote());
  }

  @Test
  void autorouteReceivesEveryPushedMessageAndReportsTheThroughput() {
    server = CommandRun.start("push-server", "--port", "0", "-q");
    int port = listeningPort(server);

    CommandRun autoroute =
        CommandRun.start("autoroute", "ws://127.0.0.1:" + port, "--msg_count", "20000");

    assertEquals(Ixws.EXIT_OK, autoroute.awaitExit());
    assertEquals("Connecting to ws://127.0.0.1:" + port + "/20000...", autoroute.out.next());
    assertEquals("ws_autoroute: connected", autoroute.out.next());
    String line;
    while ((line = autoroute.out.next()).startsWith("messages received per second: ")) {
      assertTrue(line.matches("messages received per second: \\d+"), line);
    }
    assertTrue(line.matches("ws_autoroute full test completed in \\d+ ms"), line);
    assertTrue(autoroute.out.next().matches("AUTOROUTE IXWebSocket :: \\d+ ms"));
    String summary = autoroute.out.next();
    assertTrue(summary.matches("Received 20000 messages in \\d+ ms: \\d+ messages/s"), summary);
    autoroute.out.assertNoMoreLines();
    autoroute.err.assertNoMoreLines();
  }

  @Test
  void autorouteFailsWithTheCountWhenTheServerCloses() {
    server = CommandRun.start("echo-server", "--port", "0", "-q");
    int port = listeningPort(server);

    // The echo server pushes nothing: interrupting the server closes the connection with 1001.
    CommandRun autoroute = CommandRun.start("autoroute", "ws://127.0.0.1:" + port + "/");
    assertEquals("Connecting to ws://127.0.0.1:" + port + "/1000000...", autoroute.out.next());
    assertEquals("ws_autoroute: connected", autoroute.out.next());
    server.interrupt();
    assertEquals(Ixws.EXIT_INTERRUPTED, server.awaitExit());
    server = null;

    assertEquals(Ixws.EXIT_FAILURE, autoroute.awaitExit());
    assertEquals(
        "Error: connection closed: code 1001 reason \"Going away\" after 0 of 1000000 messages",
        autoroute.err.next());
    autoroute.out.skipRemaining();
  }

  private EventRecorder<WebSocketMessage> connect(String url) {
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    client = new WebSocket();
    client.setUrl(url);
    client.disableAutomaticReconnection();
    client.setOnMessageCallback(events::accept);
    client.start();
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    return events;
  }

  private static int listeningPort(CommandRun run) {
    String line = run.out.next();
    Matcher matcher = LISTENING.matcher(line);
    assertTrue(matcher.matches(), "first line: " + line);
    return Integer.parseInt(matcher.group(1));
  }
}

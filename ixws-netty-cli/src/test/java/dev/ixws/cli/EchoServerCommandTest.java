package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ListenResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import dev.ixws.testkit.EventRecorder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class EchoServerCommandTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

  private CommandRun command;
  private WebSocket client;

  @AfterEach
  void stopEverything() {
    if (client != null) {
      client.stop();
    }
    if (command != null) {
      command.interrupt();
      command.awaitExit();
    }
  }

  @Test
  void echoesTextAsTextAndBinaryAsBinary() {
    command = CommandRun.start("echo-server", "--port", "0");
    int port = listeningPort(command);
    EventRecorder<WebSocketMessage> events = connect(port);

    assertTrue(client.send("hello world").success());
    WebSocketMessage text = events.next();
    assertEquals(WebSocketMessageType.MESSAGE, text.type());
    assertFalse(text.binary());
    assertEquals("hello world", text.str());

    byte[] bytes = {0, (byte) 0xFF, 7, (byte) 0x80};
    assertTrue(client.sendBinary(bytes).success());
    WebSocketMessage binary = events.next();
    assertTrue(binary.binary());
    assertArrayEquals(bytes, binary.bytes());

    assertTrue(
        command.out.next().matches("Connection \\d+ opened from 127\\.0\\.0\\.1:\\d+, uri /echo"));
    assertTrue(command.out.next().matches("Connection \\d+: text message of 11 bytes"));
    assertTrue(command.out.next().matches("Connection \\d+: binary message of 4 bytes"));

    client.stop();
    assertEquals(1000, events.next().closeInfo().code());
    assertTrue(
        command.out.next().matches("Connection \\d+ closed: code 1000 reason \"Normal closure\""));
  }

  @Test
  void interruptStopsTheServerAndFreesThePort() {
    command = CommandRun.start("echo-server", "--port", "0");
    int port = listeningPort(command);

    command.interrupt();
    assertEquals(Ixws.EXIT_INTERRUPTED, command.awaitExit());
    command = null;

    WebSocketServer again = new WebSocketServer(port);
    try {
      ListenResult result = again.listen();
      assertTrue(result.ok(), result.errorMessage());
    } finally {
      again.stop();
    }
  }

  @Test
  void quietEchoesWithoutLoggingAnything() {
    command = CommandRun.start("echo-server", "--port", "0", "--quiet");
    EventRecorder<WebSocketMessage> events = connect(listeningPort(command));

    assertTrue(client.send("ping?").success());
    assertEquals("ping?", events.next().str());
    client.stop();
    assertEquals(WebSocketMessageType.CLOSE, events.next().type());

    command.interrupt();
    assertEquals(Ixws.EXIT_INTERRUPTED, command.awaitExit());
    command.out.assertNoMoreLines();
    command.err.assertNoMoreLines();
    command = null;
  }

  @Test
  void portInUseIsReportedOnStderrWithExitCode1() {
    WebSocketServer occupant = new WebSocketServer(0);
    try {
      assertTrue(occupant.listen().ok());
      int port = occupant.getPort();

      CommandRun failed = CommandRun.runToEnd("echo-server", "--port", Integer.toString(port));

      assertEquals(Ixws.EXIT_FAILURE, failed.awaitExit());
      assertTrue(
          failed.err.next().startsWith("Error: Cannot listen on 127.0.0.1:" + port + ": "),
          failed.err.text());
      failed.out.assertNoMoreLines();
    } finally {
      occupant.stop();
    }
  }

  @Test
  void portOutOfRangeIsAUsageError() {
    CommandRun failed = CommandRun.runToEnd("echo-server", "--port", "70000");

    assertEquals(Ixws.EXIT_USAGE, failed.awaitExit());
    assertEquals("Error: port out of range: 70000", failed.err.next());
  }

  private static int listeningPort(CommandRun run) {
    String line = run.out.next();
    Matcher matcher = LISTENING.matcher(line);
    assertTrue(matcher.matches(), "first line: " + line);
    int port = Integer.parseInt(matcher.group(1));
    assertTrue(port > 0, line);
    return port;
  }

  private EventRecorder<WebSocketMessage> connect(int port) {
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    client = new WebSocket();
    client.setUrl("ws://127.0.0.1:" + port + "/echo");
    client.setOnMessageCallback(events::accept);
    client.start();
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    return events;
  }
}

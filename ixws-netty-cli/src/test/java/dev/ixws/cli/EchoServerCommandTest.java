package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ListenResult;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import dev.ixws.testkit.EventRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
  void echoesTextAsTextAndBinaryAsBinaryAndVerboseLogsEachMessage() {
    command = CommandRun.start("echo-server", "--port", "0", "-v");
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
  void pidFileHoldsThePidWhileTheServerRunsAndIsRemovedAfter(@TempDir Path dir) throws IOException {
    Path pidFile = dir.resolve("echo.pid");
    command = CommandRun.start("echo-server", "--port", "0", "-q", "--pidfile", pidFile.toString());
    listeningPort(command);
    assertEquals(
        ProcessHandle.current().pid() + "\n", Files.readString(pidFile, StandardCharsets.US_ASCII));

    command.interrupt();
    assertEquals(Ixws.EXIT_INTERRUPTED, command.awaitExit());
    command = null;
    assertFalse(Files.exists(pidFile));
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
  void withoutVerboseOnlyConnectionsAreLogged() {
    command = CommandRun.start("echo-server", "--port", "0");
    EventRecorder<WebSocketMessage> events = connect(listeningPort(command));

    assertTrue(client.send("not logged").success());
    assertEquals("not logged", events.next().str());
    client.stop();
    assertEquals(1000, events.next().closeInfo().code());
    assertTrue(command.out.next().matches("Connection \\d+ opened from .*, uri /echo"));
    assertTrue(command.out.next().matches("Connection \\d+ closed: code 1000 .*"));
    command.out.assertNoMoreLines();
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
  void wrongAuthorizationHeaderIsClosedWith4001AndTheRightOneIsTold() {
    command =
        CommandRun.start(
            "echo_server", "--port", "0", "-q", "--http_authorization_header", "Bearer s3cret");
    int port = listeningPort(command);

    // No automatic reconnection: IX's reconnection after a server close would retry at once.
    EventRecorder<WebSocketMessage> refused =
        connectWith(port, WebSocketHttpHeaders.builder().add("Authorization", "Bearer nope"));
    WebSocketMessage close = refused.next();
    assertEquals(WebSocketMessageType.CLOSE, close.type(), close.toString());
    assertEquals(4001, close.closeInfo().code());
    assertEquals("Permission denied", close.closeInfo().reason());
    assertTrue(close.closeInfo().remote());
    client.stop();

    EventRecorder<WebSocketMessage> noHeader = connectWith(port, WebSocketHttpHeaders.builder());
    assertEquals(4001, noHeader.next().closeInfo().code());
    client.stop();

    EventRecorder<WebSocketMessage> allowed =
        connectWith(port, WebSocketHttpHeaders.builder().add("Authorization", "Bearer s3cret"));
    assertEquals("Authorization succeeded!", allowed.next().str());
    assertTrue(client.send("echo me").success());
    assertEquals("echo me", allowed.next().str());
    client.stop();
    assertEquals(1000, allowed.next().closeInfo().code());
  }

  @Test
  void greetingsFlagSendsWelcomeFirst() {
    command = CommandRun.start("echo-server", "--port", "0", "-q", "-g");
    EventRecorder<WebSocketMessage> events = connect(listeningPort(command));

    assertEquals("Welcome !", events.next().str());
    assertTrue(client.send("after").success());
    assertEquals("after", events.next().str());
    client.stop();
    assertEquals(1000, events.next().closeInfo().code());
  }

  @Test
  void deflateIsAcceptedByDefaultAndDashXDeclinesIt() {
    for (boolean declined : new boolean[] {false, true}) {
      command =
          declined
              ? CommandRun.start("echo-server", "--port", "0", "-q", "-x")
              : CommandRun.start("echo-server", "--port", "0", "-q");
      EventRecorder<WebSocketMessage> events = new EventRecorder<>();
      client = new WebSocket();
      client.setUrl("ws://127.0.0.1:" + listeningPort(command) + "/");
      client.setOnMessageCallback(events::accept);
      client.start();
      WebSocketMessage open = events.next();
      assertEquals(WebSocketMessageType.OPEN, open.type(), open::toString);
      assertEquals(!declined, open.openInfo().perMessageDeflate().enabled(), open::toString);
      assertTrue(client.send("compressed unless -x").success());
      assertEquals("compressed unless -x", events.next().str());
      client.stop();
      assertEquals(1000, events.next().closeInfo().code());
      command.interrupt();
      command.awaitExit();
    }
  }

  @Test
  void ipv6FlagListensOnTheIpv6Loopback() {
    command = CommandRun.start("echo-server", "--port", "0", "-q", "-6");
    String line = command.out.next();
    Matcher matcher = Pattern.compile("Listening on \\[::1\\]:(\\d+)").matcher(line);
    assertTrue(matcher.matches(), line);

    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    client = new WebSocket();
    client.setUrl("ws://[::1]:" + matcher.group(1) + "/");
    client.setOnMessageCallback(events::accept);
    client.start();
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    assertTrue(client.send("over IPv6").success());
    assertEquals("over IPv6", events.next().str());
    client.stop();
    assertEquals(1000, events.next().closeInfo().code());
  }

  @Test
  void dashPDisablesPongsWhileThePortIsSetWithLongPortOnly() {
    command = CommandRun.start("echo-server", "--port", "0", "-q", "-p");
    EventRecorder<WebSocketMessage> events = connect(listeningPort(command));

    assertTrue(client.ping("anyone?").success());
    // The echo of a message sent after the ping proves the ping was read and not answered.
    assertTrue(client.send("after the ping").success());
    assertEquals("after the ping", events.next().str());
    events.assertNoMoreEvents(Duration.ofMillis(200));
    client.stop();
    assertEquals(1000, events.next().closeInfo().code());

    CommandRun answering = CommandRun.start("echo-server", "--port", "0", "-q");
    try {
      EventRecorder<WebSocketMessage> answered = connect(listeningPort(answering));
      assertTrue(client.ping("anyone?").success());
      WebSocketMessage pong = answered.next();
      assertEquals(WebSocketMessageType.PONG, pong.type());
      assertEquals("anyone?", pong.str());
      client.stop();
      assertEquals(1000, answered.next().closeInfo().code());
    } finally {
      answering.interrupt();
      answering.awaitExit();
    }
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

  private EventRecorder<WebSocketMessage> connectWith(
      int port, WebSocketHttpHeaders.Builder headers) {
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    client = new WebSocket();
    client.setUrl("ws://127.0.0.1:" + port + "/");
    client.setExtraHeaders(headers.build());
    client.disableAutomaticReconnection();
    client.setOnMessageCallback(events::accept);
    client.start();
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    return events;
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

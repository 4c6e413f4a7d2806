package dev.ixws.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketCloseConstants;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import dev.ixws.testkit.EventRecorder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the usage guide's echo server example in a thread and talks to it with a client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoServerExampleTest {

  private final List<String> err = new CopyOnWriteArrayList<>();

  @Test
  void echoServerSendsBackTextAndEveryByteValueUntilStopped() throws Exception {
    CompletableFuture<WebSocketServer> started = new CompletableFuture<>();
    CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    Thread serverThread =
        new Thread(
            () -> {
              try {
                exitCode.complete(EchoServerExample.run(0, err::add, started::complete));
              } catch (Throwable e) {
                exitCode.completeExceptionally(e);
                started.completeExceptionally(e);
              }
            },
            "echo-server-example");
    serverThread.start();
    WebSocketServer server = started.get(10, TimeUnit.SECONDS);
    int port = server.getPort();

    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    WebSocket client = new WebSocket();
    client.setUrl("ws://127.0.0.1:" + port + "/chat?room=1");
    client.setOnMessageCallback(events::accept);
    // Otherwise the client would keep trying to reconnect to the stopped server after the test.
    client.disableAutomaticReconnection();
    client.start();
    assertEquals(WebSocketMessageType.OPEN, events.next().type());

    client.send("h\u00e9llo \u2603");
    WebSocketMessage text = events.next();
    assertFalse(text.binary());
    assertEquals("h\u00e9llo \u2603", text.str());

    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    client.sendBinary(everyByte);
    WebSocketMessage binary = events.next();
    assertTrue(binary.binary());
    assertArrayEquals(everyByte, binary.bytes());

    assertEquals("New connection", err.get(0));
    assertTrue(err.get(1).matches("id: \\d+"), err.get(1));
    assertEquals("Uri: /chat?room=1", err.get(2));
    assertEquals("Headers:", err.get(3));
    assertTrue(
        err.stream().anyMatch(line -> line.equalsIgnoreCase("host: 127.0.0.1:" + port)),
        err::toString);
    assertTrue(
        err.stream().anyMatch(line -> line.equalsIgnoreCase("upgrade: websocket")), err::toString);

    server.stop();
    assertEquals(0, exitCode.get(10, TimeUnit.SECONDS));
    WebSocketMessage close = events.next();
    assertEquals(WebSocketMessageType.CLOSE, close.type());
    assertEquals(WebSocketCloseConstants.GOING_AWAY_CODE, close.closeInfo().code());
    assertTrue(close.closeInfo().remote());
    client.stop();
    serverThread.join(10_000);
    assertFalse(serverThread.isAlive());
  }

  @Test
  void echoServerReturns1AndPrintsWhyWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int code = EchoServerExample.run(taken.getLocalPort(), err::add, server -> server.stop());

      assertEquals(1, code);
      assertEquals(1, err.size(), err.toString());
      assertTrue(
          err.get(0).startsWith("Cannot listen on 127.0.0.1:" + taken.getLocalPort()), err.get(0));
    }
  }
}

package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawWebSocketClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handshake timeout and the connection limit, over real loopback sockets. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ServerLimitsTest {

  private WebSocketServer server;

  private int start(int maxConnections, int handshakeTimeoutSecs) {
    server =
        TestServers.echo()
            .maxConnections(maxConnections)
            .handshakeTimeoutSecs(handshakeTimeoutSecs)
            .start();
    return server.getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void silentClientIsDroppedAfterTheHandshakeTimeout() throws IOException {
    int port = start(32, 1);
    try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
      long started = System.nanoTime();
      assertTrue(client.awaitPeerClose(Duration.ofSeconds(4)), "still connected after 4 s");
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(elapsedMillis >= 800, "dropped too early: " + elapsedMillis + " ms");
      assertTrue(elapsedMillis < 3000, "dropped too late: " + elapsedMillis + " ms");
    }
  }

  @Test
  void clientThatSendsHalfARequestIsDroppedAfterTheHandshakeTimeout() throws IOException {
    int port = start(32, 1);
    try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
      String request = RawWebSocketClient.request(port).build();
      client.write(request.substring(0, request.length() / 2));
      long started = System.nanoTime();
      assertTrue(client.awaitPeerClose(Duration.ofSeconds(4)), "still connected after 4 s");
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(elapsedMillis < 3000, "dropped too late: " + elapsedMillis + " ms");
    }
  }

  @Test
  void clientThatTricklesItsRequestIsDroppedAfterTheHandshakeTimeoutNotKeptAlive()
      throws IOException {
    int port = start(32, 1);
    try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
      client.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      long started = System.nanoTime();
      // One header byte every 100 ms (awaitPeerClose both paces and watches): bytes that keep
      // coming do not extend the handshake timeout.
      boolean closed = false;
      for (int i = 0; i < 40 && !closed; i++) {
        try {
          client.write("a");
        } catch (IOException reset) {
          closed = true;
          break;
        }
        closed = client.awaitPeerClose(Duration.ofMillis(100));
      }
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(closed, "still connected after " + elapsedMillis + " ms");
      assertTrue(elapsedMillis < 3000, "dropped too late: " + elapsedMillis + " ms");
    }
  }

  @Test
  void handshakeTimeoutDoesNotDropAnOpenConnection() throws IOException {
    int port = start(32, 1);
    try (RawWebSocketClient client = RawWebSocketClient.open(port, "/")) {
      assertFalse(
          client.awaitPeerClose(Duration.ofMillis(1800)),
          "an open connection outlives the timeout");
      client.sendText("still here");
      assertEquals("still here", client.readFrame().text());
    }
  }

  @Test
  void clientBeyondMaxConnectionsGets503AndTheOthersStillWork() throws IOException {
    int port = start(2, 5);
    try (RawWebSocketClient first = RawWebSocketClient.open(port, "/");
        RawWebSocketClient second = RawWebSocketClient.open(port, "/")) {
      try (RawWebSocketClient third = RawWebSocketClient.connect(port)) {
        third.write(RawWebSocketClient.request(port).build());
        HttpHead response = third.readHead();
        assertEquals(503, response.status(), response.startLine());
        assertTrue(third.awaitPeerClose(Duration.ofSeconds(5)));
      }
      first.sendText("first");
      second.sendText("second");
      assertEquals("first", first.readFrame().text());
      assertEquals("second", second.readFrame().text());
    }
  }

  @Test
  void slotFreedByAClosedClientCanBeReused() throws IOException {
    int port = start(1, 5);
    try (RawWebSocketClient first = RawWebSocketClient.open(port, "/")) {
      first.writeFrame(dev.ixws.testkit.WsFrame.close(1000, "", true));
      assertTrue(first.awaitPeerClose(Duration.ofSeconds(5)));
    }
    // The server counts the slot free once it has closed its side; retry briefly for that.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try (RawWebSocketClient next = RawWebSocketClient.connect(port)) {
        next.write(RawWebSocketClient.request(port).build());
        int status = next.readHead().status();
        if (status == 101) {
          return;
        }
        assertEquals(503, status);
        assertTrue(System.nanoTime() < deadline, "the slot was never freed");
      }
    }
  }
}

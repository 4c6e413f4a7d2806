package dev.ixws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's heartbeat against a hand-played server that may never answer a ping. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientHeartbeatTest extends RawServerClientBase {

  @Test
  void pingIntervalIsOffByDefaultAndReadBack() {
    assertEquals(-1, client.getPingInterval(), "IXWebSocket's default: no heartbeat");
    client.setPingInterval(25);
    assertEquals(25, client.getPingInterval());
    assertTrue(client.getLastPingRoundTripTime().isEmpty());
  }

  @Test
  void serverThatSwallowsPingsIsClosedWith1011AndTheClientReconnects() throws IOException {
    client.setPingInterval(1);
    client.start();
    try (RawConnection conn = acceptUpgrade()) {
      next(WebSocketMessageType.OPEN);
      WsFrame ping = conn.readFrame();
      long pinged = System.nanoTime();
      assertEquals(WsFrame.OP_PING, ping.opcode(), "got " + ping);
      assertTrue(ping.masked(), "a client masks its pings");
      // Never answered: the next heartbeat finds the pong missing.
      WsFrame close = conn.readFrame();
      long millis = (System.nanoTime() - pinged) / 1_000_000;
      assertTrue(close.isClose(), "got " + close);
      assertEquals(1011, close.closeCode());
      assertEquals("Ping timeout", close.closeReason());
      assertTrue(millis >= 800 && millis < 3000, "closed " + millis + " ms after the ping");
      assertTrue(conn.awaitPeerClose(WAIT), "the client drops TCP without waiting for an answer");
    }
    WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
    assertEquals(1011, closed.closeInfo().code());
    assertEquals("Ping timeout", closed.closeInfo().reason());
    assertFalse(closed.closeInfo().remote());
    // A heartbeat timeout is a lost connection: reconnection is immediate.
    try (RawConnection again = raw.accept(WAIT)) {
      assertEquals("GET / HTTP/1.1", again.readHead().startLine());
      assertEquals(ReadyState.CONNECTING, client.getReadyState());
    }
    // Dropped before its 101, the reconnection fails the handshake.
    WebSocketMessage error = next(WebSocketMessageType.ERROR);
    assertEquals(0, error.errorInfo().httpStatus(), error.toString());
  }

  @Test
  void answeredPingsKeepTheConnectionOpenAndTheRoundTripIsMeasured() throws IOException {
    client.setPingInterval(1);
    client.start();
    try (RawConnection conn = acceptUpgrade()) {
      next(WebSocketMessageType.OPEN);
      for (int i = 0; i < 2; i++) {
        WsFrame ping = conn.readFrame();
        assertEquals(WsFrame.OP_PING, ping.opcode(), "got " + ping);
        conn.writeFrame(WsFrame.of(true, WsFrame.OP_PONG, ping.payload(), false));
        assertEquals(WebSocketMessageType.PONG, next(WebSocketMessageType.PONG).type());
      }
      assertEquals(ReadyState.OPEN, client.getReadyState());
      assertTrue(client.getLastPingRoundTripTime().isPresent(), "round trip measured");
      assertTrue(client.getLastPingRoundTripTime().get().toMillis() < 1000);
    }
    nextAbnormalClose();
  }
}

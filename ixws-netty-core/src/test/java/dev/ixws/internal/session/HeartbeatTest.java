package dev.ixws.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.testkit.WsFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The heartbeat on an {@link io.netty.channel.embedded.EmbeddedChannel} whose clock moves only when
 * the test advances it: Netty's {@code IdleStateHandler} reads the channel's ticker (Netty 4.2), so
 * every ping, missed pong and timeout happens at an exact millisecond.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HeartbeatTest {

  private static final String PING_PREFIX = "ixws::heartbeat::";

  /** A client session with the given heartbeat and a frozen clock at 0. */
  private static SessionChannel client(long intervalMillis, long pongTimeoutMillis, int maxMissed) {
    return new SessionChannel(
        new SessionConfig(
            true,
            1 << 20,
            1000,
            true,
            new HeartbeatConfig(intervalMillis, pongTimeoutMillis, maxMissed)));
  }

  /** Moves the channel's clock forward and runs whatever became due. */
  private static void advance(SessionChannel ws, long millis) {
    ws.channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    ws.channel.runScheduledPendingTasks();
    ws.channel.runPendingTasks();
  }

  /** Asserts that exactly one frame, a heartbeat ping, was written, and returns it. */
  private static WsFrame writtenPing(SessionChannel ws) {
    List<WsFrame> frames = ws.written();
    assertEquals(1, frames.size(), "frames written: " + frames);
    WsFrame ping = frames.get(0);
    assertEquals(WsFrame.OP_PING, ping.opcode(), "not a ping: " + ping);
    assertTrue(ping.text().startsWith(PING_PREFIX), "heartbeat payload: " + ping.text());
    return ping;
  }

  private static void assertNothingWritten(SessionChannel ws) {
    List<WsFrame> frames = ws.written();
    assertTrue(frames.isEmpty(), "nothing should be written yet: " + frames);
  }

  /** The connection was closed for a silent peer: close frame 1011, TCP dropped, local CLOSE. */
  private static void assertClosedForPingTimeout(SessionChannel ws) {
    WsFrame close = ws.writtenClose();
    assertEquals(1011, close.closeCode());
    assertEquals("Ping timeout", close.closeReason());
    assertFalse(ws.channel.isOpen(), "no answer is awaited from a silent peer");
    List<WebSocketMessage> closes = ws.events(WebSocketMessageType.CLOSE);
    assertEquals(1, closes.size(), "events: " + ws.events);
    assertEquals(1011, closes.get(0).closeInfo().code());
    assertEquals("Ping timeout", closes.get(0).closeInfo().reason());
    assertFalse(closes.get(0).closeInfo().remote(), "we closed, not the peer");
  }

  private static WsFrame pongFor(WsFrame ping) {
    return WsFrame.of(true, WsFrame.OP_PONG, ping.payload(), false);
  }

  @Test
  void idleStateHandlerIsInstalledOnlyWithAHeartbeat() {
    SessionChannel plain = SessionChannel.client();
    assertNull(plain.channel.pipeline().get("ws-idle"));
    advance(plain, 3_600_000);
    assertNothingWritten(plain);
    plain.channel.finishAndReleaseAll();

    SessionChannel beating = client(1000, 0, 0);
    assertNotNull(beating.channel.pipeline().get("ws-idle"));
    beating.channel.finishAndReleaseAll();
  }

  @Test
  void idleConnectionIsPingedExactlyAtThePingInterval() {
    SessionChannel ws = client(1000, 0, 0);
    advance(ws, 999);
    assertNothingWritten(ws);
    advance(ws, 1);
    WsFrame ping = writtenPing(ws);
    assertTrue(ping.masked(), "a client masks its pings");
    assertTrue(ws.events.isEmpty(), "our own ping is no event: " + ws.events);
    assertTrue(ws.channel.isOpen());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void serverSideHeartbeatPingsAreNotMasked() {
    SessionChannel ws =
        new SessionChannel(
            new SessionConfig(false, 1 << 20, 1000, true, new HeartbeatConfig(1000, 0, 0)));
    advance(ws, 1000);
    assertFalse(writtenPing(ws).masked());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void trafficInEitherDirectionPostponesThePing() {
    SessionChannel ws = client(1000, 0, 0);
    advance(ws, 900);
    ws.feedFromPeer(WsFrame.text("incoming", false));
    advance(ws, 900); // t=1800: read at 900
    assertNothingWritten(ws);
    assertTrue(ws.session.sendText("outgoing").success());
    assertEquals("outgoing", ws.written().get(0).text());
    advance(ws, 999); // t=2799: written at 1800
    assertNothingWritten(ws);
    advance(ws, 1);
    writtenPing(ws);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void silentPeerIsClosedWith1011AtTheNextHeartbeat() {
    SessionChannel ws = client(1000, 0, 0);
    advance(ws, 1000);
    writtenPing(ws);
    advance(ws, 999);
    assertNothingWritten(ws);
    assertTrue(ws.channel.isOpen());
    advance(ws, 1);
    assertClosedForPingTimeout(ws);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void answeredPingsKeepTheConnectionOpenAndMeasureTheRoundTrip() {
    SessionChannel ws = client(1000, 0, 0);
    assertEquals(-1, ws.session.lastPingRoundTripNanos(), "no ping answered yet");
    for (int beat = 1; beat <= 5; beat++) {
      advance(ws, 1000);
      WsFrame ping = writtenPing(ws);
      assertEquals(PING_PREFIX + beat, ping.text(), "one sequence number per heartbeat");
      ws.feedFromPeer(pongFor(ping));
    }
    assertTrue(ws.channel.isOpen());
    assertTrue(ws.session.lastPingRoundTripNanos() >= 0, "round trip measured");
    assertEquals(5, ws.events(WebSocketMessageType.PONG).size(), "pongs are still delivered");
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void maxMissedPongsOfTwoToleratesTwoMissesAndClosesAtTheThird() {
    SessionChannel ws = client(1000, 0, 2);
    advance(ws, 1000);
    writtenPing(ws); // ping 1
    advance(ws, 1000);
    writtenPing(ws); // ping 1 missed (1 of 2 tolerated); ping 2
    advance(ws, 1000);
    writtenPing(ws); // ping 2 missed (2 of 2 tolerated); ping 3
    assertTrue(ws.channel.isOpen());
    assertTrue(ws.events.isEmpty(), "events: " + ws.events);
    advance(ws, 999);
    assertNothingWritten(ws);
    advance(ws, 1); // ping 3 missed: one too many
    assertClosedForPingTimeout(ws);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void anyPongResetsTheMissedCount() {
    SessionChannel ws = client(1000, 0, 1);
    advance(ws, 1000);
    writtenPing(ws); // t=1000 ping 1
    advance(ws, 1000);
    writtenPing(ws); // t=2000 ping 1 missed (1 of 1 tolerated); ping 2
    // A pong with a payload that matches no ping still proves the peer is alive.
    ws.feedFromPeer(WsFrame.of(true, WsFrame.OP_PONG, "unsolicited".getBytes(), false));
    advance(ws, 1000);
    writtenPing(ws); // t=3000 the count restarted: ping 3
    advance(ws, 1000);
    writtenPing(ws); // t=4000 ping 3 missed (1 of 1); ping 4
    assertTrue(ws.channel.isOpen(), "without the reset this would be the second miss");
    advance(ws, 1000);
    assertClosedForPingTimeout(ws);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void pongTimeoutCountsAMissBeforeTheNextInterval() {
    SessionChannel ws = client(1000, 500, 0);
    advance(ws, 1000);
    writtenPing(ws);
    advance(ws, 499);
    assertNothingWritten(ws);
    assertTrue(ws.channel.isOpen());
    advance(ws, 1); // t=1500, half an interval before the next heartbeat
    assertClosedForPingTimeout(ws);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void pongWithinThePongTimeoutCancelsIt() {
    SessionChannel ws = client(1000, 500, 0);
    advance(ws, 1000);
    WsFrame ping = writtenPing(ws);
    advance(ws, 400);
    ws.feedFromPeer(pongFor(ping));
    advance(ws, 200); // t=1600: past the pong timeout of the answered ping
    assertNothingWritten(ws);
    assertTrue(ws.channel.isOpen());
    advance(ws, 800); // t=2400: idle since the pong at 1400
    writtenPing(ws);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void pongTimeoutWithMissesToleratedCountsEachUnansweredPing() {
    SessionChannel ws = client(1000, 500, 1);
    advance(ws, 1000);
    writtenPing(ws); // t=1000 ping 1
    advance(ws, 500); // t=1500 ping 1 missed (1 of 1 tolerated)
    assertTrue(ws.channel.isOpen());
    assertNothingWritten(ws);
    advance(ws, 500);
    writtenPing(ws); // t=2000 ping 2
    advance(ws, 499);
    assertTrue(ws.channel.isOpen());
    advance(ws, 1); // t=2500 ping 2 missed: one too many
    assertClosedForPingTimeout(ws);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void pongTimeoutLongerThanTheIntervalStillClosesASilentPeer() {
    SessionChannel ws = client(1000, 3000, 0);
    advance(ws, 1000);
    writtenPing(ws); // t=1000: its pong is due by t=4000
    for (int t = 2000; t < 4000; t += 1000) {
      advance(ws, 1000);
      // One ping at a time: a second one would replace the first one's pong timer.
      assertNothingWritten(ws);
      assertTrue(ws.channel.isOpen(), "open at t=" + t);
    }
    advance(ws, 999);
    assertTrue(ws.channel.isOpen(), "open at t=3999");
    assertNothingWritten(ws);
    advance(ws, 1);
    WsFrame close = ws.written().stream().filter(WsFrame::isClose).findFirst().orElse(null);
    assertNotNull(close, "no close frame by t=4000, the first ping's pong timeout");
    assertEquals(1011, close.closeCode());
    assertFalse(ws.channel.isOpen());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void heartbeatStopsOnceTheClosingHandshakeStarts() {
    SessionChannel ws = client(1000, 500, 0);
    advance(ws, 1000);
    writtenPing(ws); // its pong timer runs
    ws.feedFromPeer(WsFrame.close(1000, "bye", false));
    assertEquals(1000, ws.writtenClose().closeCode(), "the close is echoed");
    for (int i = 0; i < 5; i++) {
      advance(ws, 1000);
    }
    assertNothingWritten(ws);
    assertTrue(
        ws.events.stream()
            .noneMatch(e -> e.type() == WebSocketMessageType.CLOSE && code(e) == 1011),
        "no ping timeout after the peer's close: " + ws.events);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void pingFromThePeerDuringTheHeartbeatIsAnsweredAndCountsAsTraffic() {
    SessionChannel ws = client(1000, 0, 0);
    advance(ws, 800);
    ws.feedFromPeer(WsFrame.ping("peer".getBytes(StandardCharsets.UTF_8), false));
    List<WsFrame> out = ws.written();
    assertEquals(WsFrame.OP_PONG, out.get(0).opcode());
    advance(ws, 999); // t=1799
    assertNothingWritten(ws);
    advance(ws, 1);
    writtenPing(ws);
    ws.channel.finishAndReleaseAll();
  }

  private static int code(WebSocketMessage event) {
    return event.closeInfo().code();
  }
}

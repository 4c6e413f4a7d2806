package dev.ixws.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.testkit.WsFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 sections 5.5.1, 7 and 7.4: the closing handshake and close frame validation. */
class CloseHandshakeTest {

  @Test
  void peerCloseIsEchoedWithItsCodeAndReportedAsRemote() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.close(1000, "bye", true));
    WsFrame echo = ws.writtenClose();
    assertEquals(1000, echo.closeCode());
    assertEquals("bye", echo.closeReason());
    assertFalse(echo.masked());
    assertFalse(ws.channel.isOpen(), "the server closes TCP after echoing (RFC 6455 7.1.1)");
    assertEquals(
        List.of(WebSocketMessage.close(new WebSocketCloseInfo(1000, "bye", true))), ws.events);
    assertEquals(ReadyState.CLOSED, ws.session.readyState());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void clientEchoesServerCloseMaskedAndWaitsForTheServerToCloseTcp() {
    SessionChannel ws = SessionChannel.client();
    ws.feedFromPeer(WsFrame.close(1001, "Going away", false));
    WsFrame echo = ws.writtenClose();
    assertEquals(1001, echo.closeCode());
    assertTrue(echo.masked(), "a client masks its close frame");
    assertTrue(ws.channel.isOpen(), "the server closes TCP first (RFC 6455 7.1.1)");
    assertEquals(List.of(), ws.events);
    assertEquals(ReadyState.CLOSING, ws.session.readyState());
    // A server that never closes TCP is dropped after the close timeout.
    ws.channel.advanceTimeBy(SessionConfig.DEFAULT_CLOSE_TIMEOUT_MILLIS + 1, TimeUnit.MILLISECONDS);
    ws.channel.runScheduledPendingTasks();
    assertFalse(ws.channel.isOpen());
    assertEquals(1001, ws.events.get(0).closeInfo().code());
    assertTrue(ws.events.get(0).closeInfo().remote());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void emptyCloseIsEchoedEmptyAndReportedAs1005() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.emptyClose(true));
    WsFrame echo = ws.writtenClose();
    assertEquals(0, echo.payload().length, "no status code in, none out");
    assertEquals(
        List.of(WebSocketMessage.close(new WebSocketCloseInfo(1005, "No status code", true))),
        ws.events);
    ws.channel.finishAndReleaseAll();
  }

  @ParameterizedTest(name = "code {0}")
  @ValueSource(
      ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999})
  void validCloseCodesAreEchoed(int code) {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.close(code, "", true));
    assertEquals(code, ws.writtenClose().closeCode());
    assertEquals(code, ws.events.get(0).closeInfo().code());
    ws.channel.finishAndReleaseAll();
  }

  @ParameterizedTest(name = "code {0}")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 32768, 65535})
  void invalidCloseCodesFailWith1002(int code) {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.close(code, "x", true));
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void oneByteClosePayloadFailsWith1002() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(new WsFrame(true, 0, WsFrame.OP_CLOSE, true, new byte[] {3}));
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }

  /**
   * Netty's decoder validates the reason of a close frame as UTF-8 and reports a bad one as invalid
   * payload data, so the answer is 1007 (as Autobahn case 7.5.1 expects), not 1002.
   */
  @Test
  void closeWithInvalidUtf8ReasonFailsWith1007() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.close(1000, new byte[] {'o', 'k', (byte) 0xC3, 0x28}, true));
    ws.assertFailedWith(1007);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void dataAfterThePeersCloseIsIgnored() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.close(1000, "", true), WsFrame.text("too late", true));
    assertEquals(1000, ws.writtenClose().closeCode());
    assertTrue(ws.events(WebSocketMessageType.MESSAGE).isEmpty(), "events: " + ws.events);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void localCloseSendsCodeThenClosesWhenThePeerAnswers() {
    SessionChannel ws = SessionChannel.server();
    ws.session.close(1000, "bye");
    WsFrame close = ws.writtenClose();
    assertEquals(1000, close.closeCode());
    assertEquals("bye", close.closeReason());
    assertEquals(ReadyState.CLOSING, ws.session.readyState());
    assertTrue(ws.channel.isOpen(), "waits for the peer's close frame");
    assertTrue(ws.events.isEmpty());

    ws.feedFromPeer(WsFrame.close(1000, "bye", true));
    assertTrue(ws.written().isEmpty(), "no second close frame");
    assertFalse(ws.channel.isOpen());
    assertEquals(
        List.of(WebSocketMessage.close(new WebSocketCloseInfo(1000, "bye", false))), ws.events);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void dataFramesAfterOurCloseAreNotWritten() {
    SessionChannel ws = SessionChannel.server();
    ws.session.close(1000, "bye");
    assertEquals(1000, ws.writtenClose().closeCode());

    assertFalse(ws.session.sendText("late").success());
    assertFalse(ws.session.sendBinary(ByteBuffer.wrap(new byte[] {1})).success());
    assertFalse(ws.session.ping(new byte[0]).success());
    // A frame written straight into the pipeline is dropped too (RFC 6455 5.5.1).
    ws.channel.writeOutbound(new TextWebSocketFrame("sneaky"));
    assertTrue(ws.written().isEmpty());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void peerDataBeforeItsCloseAnswerIsStillDelivered() {
    SessionChannel ws = SessionChannel.server();
    ws.session.close(1000, "bye");
    ws.written();
    ws.feedFromPeer(WsFrame.text("in flight", true));
    assertEquals("in flight", ws.events(WebSocketMessageType.MESSAGE).get(0).str());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void localCloseWithoutAnswerDropsTheConnectionAfterTheCloseTimeout() {
    SessionChannel ws = SessionChannel.server();
    ws.session.close(1001, "Going away");
    assertEquals(1001, ws.writtenClose().closeCode());
    ws.channel.advanceTimeBy(999, TimeUnit.MILLISECONDS);
    ws.channel.runScheduledPendingTasks();
    assertTrue(ws.channel.isOpen(), "still waiting before the 1000 ms close timeout");
    ws.channel.advanceTimeBy(2, TimeUnit.MILLISECONDS);
    ws.channel.runScheduledPendingTasks();
    assertFalse(ws.channel.isOpen(), "dropped after the close timeout");
    assertEquals(
        List.of(WebSocketMessage.close(new WebSocketCloseInfo(1001, "Going away", false))),
        ws.events);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void longCloseReasonIsTruncatedTo123Bytes() {
    SessionChannel ws = SessionChannel.server();
    ws.session.close(1000, "\u00e9".repeat(100)); // 200 bytes of UTF-8
    WsFrame close = ws.writtenClose();
    assertTrue(close.payload().length <= 125, "control frame payload: " + close.payload().length);
    assertEquals("\u00e9".repeat(61), close.closeReason());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void connectionLostWithoutCloseFrameIsReportedAs1006() {
    SessionChannel ws = SessionChannel.server();
    ws.channel.close();
    assertEquals(
        List.of(WebSocketMessage.close(new WebSocketCloseInfo(1006, "Abnormal closure", true))),
        ws.events);
    assertTrue(ws.session.closed().isDone());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void secondCloseCallIsIgnored() {
    SessionChannel ws = SessionChannel.server();
    ws.session.close(1000, "first");
    ws.session.close(3000, "second");
    WsFrame close = ws.writtenClose();
    assertEquals(1000, close.closeCode());
    assertEquals("first", close.closeReason());
    ws.channel.finishAndReleaseAll();
  }
}

package dev.ixws.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.WebSocketTrafficStats;
import dev.ixws.internal.deflate.DeflateContexts;
import dev.ixws.internal.deflate.DeflateParameters;
import dev.ixws.testkit.RawDeflate;
import dev.ixws.testkit.WsFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A session with per-message deflate negotiated, both roles, in the production pipeline: what it
 * writes is judged by an independent inflater; what it reads comes from an independent compressor.
 */
class DeflateSessionTest {

  private static final String TEXT = "{\"event\":\"tick\",\"price\":101.25,\"symbol\":\"ACME\"}";

  /** A server-side session with deflate agreed on RFC 7692's defaults. */
  private static SessionChannel defaultServer() {
    return SessionChannel.deflating(
        false, DeflateParameters.DEFAULTS, PerMessageDeflateOptions.DEFAULT);
  }

  /** {@link #TEXT} as a client sends it compressed (masking is added by the feed). */
  private static WsFrame compressedText() {
    return new WsFrame(
        true, 4, WsFrame.OP_TEXT, true, RawDeflate.compress(TEXT.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void sentMessagesAreCompressedWithRsv1AndInflateWithContextTakeover() {
    SessionChannel server = defaultServer();
    RawDeflate.Decompressor peer = new RawDeflate.Decompressor(15, false);
    WebSocketSendInfo first = server.session.sendText(TEXT);
    WebSocketSendInfo second = server.session.sendText(TEXT);
    List<WsFrame> frames = server.written();
    assertEquals(2, frames.size());
    for (WsFrame frame : frames) {
      assertEquals(4, frame.rsv(), "RSV1 marks a compressed message");
      assertFalse(frame.masked(), "a server does not mask");
      assertEquals(TEXT, new String(peer.inflate(frame.payload()), StandardCharsets.UTF_8));
    }
    assertTrue(first.success());
    assertEquals(TEXT.length(), first.payloadSize());
    assertEquals(2 + frames.get(0).payload().length, first.wireSize(), "the true wire size");
    assertTrue(second.wireSize() < first.wireSize(), "the second reuses the first's context");
    WebSocketTrafficStats stats = server.session.trafficStats();
    assertEquals(2, stats.messagesSent());
    assertEquals(2L * TEXT.length(), stats.payloadBytesSent());
    assertEquals(first.wireSize() + second.wireSize(), stats.wireBytesSent());
    assertTrue(stats.sentCompressionRatio() < 1);
    server.channel.finishAndReleaseAll();
  }

  @Test
  void aClientMasksItsCompressedFramesAndHonoursNoContextTakeover() {
    DeflateParameters agreed = new DeflateParameters(true, false, 10, 15);
    SessionChannel client =
        SessionChannel.deflating(true, agreed, PerMessageDeflateOptions.DEFAULT);
    RawDeflate.Decompressor fresh = new RawDeflate.Decompressor(10, true);
    client.session.sendText(TEXT);
    client.session.sendBinary(java.nio.ByteBuffer.wrap(TEXT.getBytes(StandardCharsets.UTF_8)));
    List<WsFrame> frames = client.written();
    assertEquals(2, frames.size());
    assertEquals(WsFrame.OP_TEXT, frames.get(0).opcode());
    assertEquals(WsFrame.OP_BINARY, frames.get(1).opcode());
    for (WsFrame frame : frames) {
      assertTrue(frame.masked());
      assertEquals(4, frame.rsv());
      assertEquals(TEXT, new String(fresh.inflate(frame.payload()), StandardCharsets.UTF_8));
    }
    client.channel.finishAndReleaseAll();
  }

  @Test
  void messagesBelowTheThresholdAreSentPlainOnADeflateConnection() {
    PerMessageDeflateOptions options =
        PerMessageDeflateOptions.builder().compressionThreshold(1024).build();
    SessionChannel server = SessionChannel.deflating(false, DeflateParameters.DEFAULTS, options);
    WebSocketSendInfo info = server.session.sendText("short");
    WsFrame frame = server.written().get(0);
    assertEquals(0, frame.rsv());
    assertEquals("short", frame.text());
    assertEquals(7, info.wireSize());
    server.channel.finishAndReleaseAll();
  }

  @Test
  void anEchoedMessageIsCompressedAgain() {
    SessionChannel server = defaultServer();
    server.feedFromPeer(compressedText());
    WebSocketMessage received = server.events(WebSocketMessageType.MESSAGE).get(0);
    assertEquals(TEXT, received.str());
    server.session.sendMessage(received);
    WsFrame echo = server.written().get(0);
    assertEquals(4, echo.rsv());
    assertEquals(TEXT, new String(RawDeflate.inflate(echo.payload()), StandardCharsets.UTF_8));
    WebSocketTrafficStats stats = server.session.trafficStats();
    assertEquals(1, stats.messagesReceived());
    assertEquals(TEXT.length(), stats.payloadBytesReceived());
    assertEquals(received.wireSize(), stats.wireBytesReceived());
    server.channel.finishAndReleaseAll();
  }

  @Test
  void aCloseFromTheEventLoopFollowsTheMessagesSentBeforeIt() {
    SessionChannel server = defaultServer();
    // The embedded channel's thread is its event loop: sends and close are made "on the loop".
    server.session.sendText(TEXT);
    server.session.sendText(TEXT);
    server.session.close(1000, "bye");
    List<WsFrame> frames = server.written();
    assertEquals(3, frames.size(), frames.toString());
    assertTrue(frames.get(2).isClose());
    server.channel.finishAndReleaseAll();
  }

  @Test
  void closeStateChangesAtOnceOnTheLoopWhileItsFrameQueuesBehindTheMessages() {
    SessionChannel server = defaultServer();
    server.session.sendText(TEXT);
    server.session.close(1000, "bye");
    assertEquals(SessionState.CLOSE_SENT, server.session.state(), "CLOSING at once, as IX");
    assertFalse(server.session.sendText(TEXT).success(), "nothing is accepted after close");
    List<WsFrame> frames = server.written();
    assertEquals(2, frames.size(), frames.toString());
    assertEquals(4, frames.get(0).rsv());
    assertTrue(frames.get(1).isClose());
    server.channel.finishAndReleaseAll();
  }

  @Test
  void aMessageSentOnTheLoopBeforeAProtocolFailureGoesOutBeforeItsCloseFrameAndNothingAfter() {
    SessionChannel server = defaultServer();
    // On the loop with nothing queued, a compressed message is written at once (no task).
    assertTrue(server.session.sendText(TEXT).success());
    server.feedFromPeer(new WsFrame(true, 4, WsFrame.OP_PING, true, new byte[0]));
    assertFalse(server.session.sendText(TEXT).success(), "nothing is accepted after the failure");
    List<WsFrame> frames = server.written();
    assertEquals(2, frames.size(), frames.toString());
    assertEquals(4, frames.get(0).rsv(), "the message, compressed");
    assertTrue(frames.get(1).isClose());
    assertEquals(1002, frames.get(1).closeCode());
    assertFalse(server.channel.isOpen());
    server.channel.finishAndReleaseAll();
  }

  @Test
  void invalidDeflateDataIsReportedAsADecompressionErrorAndClosesWith1007() {
    SessionChannel server = defaultServer();
    server.feedFromPeer(new WsFrame(true, 4, WsFrame.OP_BINARY, true, new byte[] {(byte) 0xFF, 1}));
    server.assertFailedWith(1007);
    assertTrue(server.events.get(0).errorInfo().decompressionError());
    server.channel.finishAndReleaseAll();
  }

  @Test
  void closingTheConnectionEndsItsCompressionContexts() {
    int before = DeflateContexts.live();
    SessionChannel server = defaultServer();
    server.session.sendText(TEXT);
    server.feedFromPeer(compressedText());
    server.written();
    assertEquals(before + 2, DeflateContexts.live(), "a compressor and an inflater, made lazily");
    server.channel.close();
    server.channel.runPendingTasks();
    assertEquals(before, DeflateContexts.live());
    server.channel.finishAndReleaseAll();
  }

  @Test
  void anIdleDeflateConnectionHoldsNoContext() {
    int before = DeflateContexts.live();
    SessionChannel server = defaultServer();
    assertEquals(before, DeflateContexts.live());
    server.channel.finishAndReleaseAll();
  }

  @Test
  void noContextTakeoverBothWaysKeepsNoContextAtAll() {
    int before = DeflateContexts.live();
    SessionChannel server =
        SessionChannel.deflating(
            false, new DeflateParameters(true, true, 15, 15), PerMessageDeflateOptions.DEFAULT);
    server.session.sendText(TEXT);
    server.feedFromPeer(compressedText());
    assertEquals(
        TEXT,
        new String(RawDeflate.inflate(server.written().get(0).payload()), StandardCharsets.UTF_8));
    assertEquals(TEXT, server.events(WebSocketMessageType.MESSAGE).get(0).str());
    assertEquals(before, DeflateContexts.live(), "per-thread contexts only");
    server.channel.finishAndReleaseAll();
  }
}

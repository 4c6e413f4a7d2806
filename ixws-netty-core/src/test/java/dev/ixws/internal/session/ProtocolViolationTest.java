package dev.ixws.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessageType;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.WsFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6455 framing rules (sections 5.1-5.5): every violation fails the connection with a close
 * frame carrying 1002, an ERROR event and a local CLOSE event, and nothing of the bad frame reaches
 * the application.
 */
class ProtocolViolationTest {

  private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

  @Test
  void serverRejectsUnmaskedFrameWith1002() {
    SessionChannel ws = SessionChannel.server();
    ws.feedRaw(WsFrame.text("hello", false));
    ws.assertFailedWith(1002);
    assertTrue(
        ws.events.get(0).errorInfo().reason().contains("masked"),
        ws.events.get(0).errorInfo().reason());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void clientRejectsMaskedFrameWith1002() {
    SessionChannel ws = SessionChannel.client();
    ws.feedRaw(WsFrame.text("hello", true));
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }

  @ParameterizedTest(name = "rsv={0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void reservedBitsWithoutExtensionFailWith1002(int rsv) {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(new WsFrame(true, rsv, WsFrame.OP_TEXT, true, HELLO));
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }

  @ParameterizedTest(name = "opcode=0x{0}")
  @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
  void reservedOpcodesFailWith1002(int opcode) {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.of(true, opcode, HELLO, true));
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void fragmentedPingFailsWith1002() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.of(false, WsFrame.OP_PING, HELLO, true));
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void fragmentedCloseFailsWith1002() {
    SessionChannel ws = SessionChannel.client();
    ws.feedFromPeer(
        new WsFrame(false, 0, WsFrame.OP_CLOSE, false, WsFrame.close(1000, "", false).payload()));
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void controlFrameOver125BytesFailsWith1002() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.ping(new byte[126], true));
    ws.assertFailedWith(1002);
    assertTrue(ws.events(WebSocketMessageType.PING).isEmpty(), "the ping must not be delivered");
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void pingOfExactly125BytesIsAnswered() {
    SessionChannel ws = SessionChannel.server();
    byte[] payload = new byte[125];
    payload[124] = 42;
    ws.feedFromPeer(WsFrame.ping(payload, true));
    WsFrame pong = ws.written().get(0);
    assertEquals(WsFrame.OP_PONG, pong.opcode());
    assertEquals(125, pong.payload().length);
    assertEquals(42, pong.payload()[124]);
    assertTrue(ws.channel.isOpen());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void continuationWithoutStartFailsWith1002() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.of(true, WsFrame.OP_CONTINUATION, HELLO, true));
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void newTextFrameInsideFragmentedMessageFailsWith1002() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(
        WsFrame.of(false, WsFrame.OP_TEXT, HELLO, true),
        WsFrame.of(true, WsFrame.OP_TEXT, HELLO, true));
    // The first fragment was accepted and reported before the violation.
    assertEquals(WebSocketMessageType.FRAGMENT, ws.events.remove(0).type());
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void newBinaryFrameInsideFragmentedMessageFailsWith1002() {
    SessionChannel ws = SessionChannel.client();
    ws.feedFromPeer(
        WsFrame.of(false, WsFrame.OP_BINARY, HELLO, false),
        WsFrame.of(true, WsFrame.OP_BINARY, HELLO, false));
    assertEquals(WebSocketMessageType.FRAGMENT, ws.events.remove(0).type());
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void nonMinimalLengthEncodingFailsWith1002() {
    SessionChannel ws = SessionChannel.client();
    // A 5-byte payload announced with the 16-bit extended length (RFC 6455 5.2: "the minimal
    // number of bytes MUST be used").
    ws.feed(new byte[] {(byte) 0x81, 126, 0, 5, 'h', 'e', 'l', 'l', 'o'});
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void framesAfterAViolationInTheSameReadAreIgnored() {
    SessionChannel ws = SessionChannel.server();
    byte[] bad = RawFrames.encode(WsFrame.text("bad", false));
    byte[] good = RawFrames.encode(WsFrame.text("good", true));
    byte[] both = new byte[bad.length + good.length];
    System.arraycopy(bad, 0, both, 0, bad.length);
    System.arraycopy(good, 0, both, bad.length, good.length);
    ws.feed(both);
    ws.assertFailedWith(1002);
    ws.channel.finishAndReleaseAll();
  }
}

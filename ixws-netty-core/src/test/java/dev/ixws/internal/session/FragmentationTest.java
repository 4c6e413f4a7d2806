package dev.ixws.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.WsFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6455 section 5.4: fragmented messages, with control frames interleaved. */
class FragmentationTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void fragmentEventsPrecedeOneMessageWithTheWholePayload() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(
        WsFrame.of(false, WsFrame.OP_TEXT, utf8("Hel"), true),
        WsFrame.of(false, WsFrame.OP_CONTINUATION, utf8("lo "), true),
        WsFrame.of(true, WsFrame.OP_CONTINUATION, utf8("World"), true));
    List<WebSocketMessageType> types = ws.events.stream().map(WebSocketMessage::type).toList();
    assertEquals(
        List.of(
            WebSocketMessageType.FRAGMENT,
            WebSocketMessageType.FRAGMENT,
            WebSocketMessageType.MESSAGE),
        types);
    // Masked frames of 3 bytes: 2 header + 4 mask + 3 payload.
    assertEquals(9, ws.events.get(0).wireSize());
    assertEquals(0, ws.events.get(0).size(), "a FRAGMENT carries no payload");
    WebSocketMessage message = ws.events.get(2);
    assertEquals("Hello World", message.str());
    assertFalse(message.binary());
    assertEquals(9 + 9 + 11, message.wireSize(), "wire size of the whole message");
    assertTrue(ws.written().isEmpty());
    assertTrue(ws.channel.isOpen());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void binaryFragmentsReassembleIntoABinaryMessage() {
    SessionChannel ws = SessionChannel.client();
    ws.feedFromPeer(
        WsFrame.of(false, WsFrame.OP_BINARY, new byte[] {0, 1}, false),
        WsFrame.of(true, WsFrame.OP_CONTINUATION, new byte[] {(byte) 0xFF}, false));
    assertEquals(WebSocketMessageType.FRAGMENT, ws.events.get(0).type());
    assertTrue(ws.events.get(0).binary());
    WebSocketMessage message = ws.events.get(1);
    assertEquals(WebSocketMessageType.MESSAGE, message.type());
    assertTrue(message.binary());
    assertEquals("\u0000\u0001\u00FF", message.str());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void pingBetweenFragmentsIsAnsweredAndTheMessageStillReassembles() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.of(false, WsFrame.OP_TEXT, utf8("frag"), true));
    ws.feedFromPeer(WsFrame.ping(utf8("are you there"), true));
    List<WsFrame> out = ws.written();
    assertEquals(1, out.size(), "one pong: " + out);
    assertEquals(WsFrame.OP_PONG, out.get(0).opcode());
    assertEquals("are you there", out.get(0).text());
    assertFalse(out.get(0).masked(), "a server does not mask");
    ws.feedFromPeer(WsFrame.of(true, WsFrame.OP_CONTINUATION, utf8("mented"), true));
    List<WebSocketMessageType> types = ws.events.stream().map(WebSocketMessage::type).toList();
    assertEquals(
        List.of(
            WebSocketMessageType.FRAGMENT, WebSocketMessageType.PING, WebSocketMessageType.MESSAGE),
        types);
    assertEquals("are you there", ws.events.get(1).str());
    assertEquals("fragmented", ws.events.get(2).str());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void pongBetweenFragmentsIsDeliveredAndTheMessageStillReassembles() {
    SessionChannel ws = SessionChannel.client();
    ws.feedFromPeer(
        WsFrame.of(false, WsFrame.OP_TEXT, utf8("a"), false),
        WsFrame.of(true, WsFrame.OP_PONG, utf8("p"), false),
        WsFrame.of(true, WsFrame.OP_CONTINUATION, utf8("b"), false));
    List<WebSocketMessageType> types = ws.events.stream().map(WebSocketMessage::type).toList();
    assertEquals(
        List.of(
            WebSocketMessageType.FRAGMENT, WebSocketMessageType.PONG, WebSocketMessageType.MESSAGE),
        types);
    assertEquals("ab", ws.events.get(2).str());
    assertTrue(ws.written().isEmpty(), "a pong is not answered");
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void frameWrittenOneByteAtATimeIsReassembled() {
    SessionChannel ws = SessionChannel.server();
    byte[] frame = RawFrames.encode(WsFrame.text("byte by byte", true));
    for (byte b : frame) {
      ws.feed(new byte[] {b});
    }
    assertEquals(1, ws.events.size());
    assertEquals("byte by byte", ws.events.get(0).str());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void messagesAfterAFragmentedMessageStartFresh() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(
        WsFrame.of(false, WsFrame.OP_BINARY, new byte[] {1}, true),
        WsFrame.of(true, WsFrame.OP_CONTINUATION, new byte[] {2}, true),
        WsFrame.text("next", true));
    List<WebSocketMessage> messages = ws.events(WebSocketMessageType.MESSAGE);
    assertEquals(2, messages.size());
    assertTrue(messages.get(0).binary());
    assertFalse(messages.get(1).binary());
    assertEquals("next", messages.get(1).str());
    ws.channel.finishAndReleaseAll();
  }
}

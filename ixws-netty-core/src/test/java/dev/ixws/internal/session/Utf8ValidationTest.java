package dev.ixws.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessageType;
import dev.ixws.testkit.WsFrame;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 section 8.1: text must be valid UTF-8, or the connection fails with 1007. */
class Utf8ValidationTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "C328", // invalid continuation
        "FF", // never valid
        "C0AF", // overlong '/'
        "EDA080", // UTF-16 surrogate U+D800
        "F4908080", // above U+10FFFF
        "E282" // truncated at the end of a final frame
      })
  void invalidUtf8TextFailsWith1007(String hex) {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(new WsFrame(true, 0, WsFrame.OP_TEXT, true, hex(hex)));
    ws.assertFailedWith(1007);
    assertTrue(ws.events(WebSocketMessageType.MESSAGE).isEmpty());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void invalidUtf8SplitAcrossFragmentsFailsWith1007() {
    SessionChannel ws = SessionChannel.server();
    // E2 82 starts a 3-byte sequence; 28 '(' cannot continue it.
    ws.feedFromPeer(
        WsFrame.of(false, WsFrame.OP_TEXT, hex("61E282"), true),
        WsFrame.of(true, WsFrame.OP_CONTINUATION, hex("28"), true));
    assertEquals(WebSocketMessageType.FRAGMENT, ws.events.remove(0).type());
    ws.assertFailedWith(1007);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void invalidUtf8InAFirstFragmentFailsBeforeTheMessageEnds() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.of(false, WsFrame.OP_TEXT, hex("61FF"), true));
    ws.assertFailedWith(1007);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void sequenceLeftIncompleteByTheFinalFragmentFailsWith1007() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(
        WsFrame.of(false, WsFrame.OP_TEXT, hex("61"), true),
        WsFrame.of(true, WsFrame.OP_CONTINUATION, hex("E282"), true));
    assertEquals(WebSocketMessageType.FRAGMENT, ws.events.remove(0).type());
    ws.assertFailedWith(1007);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void validCharacterSplitAcrossFragmentsIsAccepted() {
    SessionChannel ws = SessionChannel.client();
    // U+20AC (euro sign) is E2 82 AC; U+1F600 is F0 9F 98 80. Both are cut mid-sequence.
    ws.feedFromPeer(
        WsFrame.of(false, WsFrame.OP_TEXT, hex("E282"), false),
        WsFrame.of(false, WsFrame.OP_CONTINUATION, hex("ACF09F"), false),
        WsFrame.of(true, WsFrame.OP_CONTINUATION, hex("9880"), false));
    List<dev.ixws.WebSocketMessage> messages = ws.events(WebSocketMessageType.MESSAGE);
    assertEquals(1, messages.size(), "events: " + ws.events);
    assertEquals("\u20AC\uD83D\uDE00", messages.get(0).str());
    assertTrue(ws.channel.isOpen());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void binaryMessagesAreNotValidated() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.binary(hex("FFC328"), true));
    assertEquals(1, ws.events(WebSocketMessageType.MESSAGE).size());
    assertTrue(ws.channel.isOpen());
    ws.channel.finishAndReleaseAll();
  }

  static byte[] hex(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return bytes;
  }
}

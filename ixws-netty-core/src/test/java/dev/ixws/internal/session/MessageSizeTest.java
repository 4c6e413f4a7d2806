package dev.ixws.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.testkit.WsFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The maximum message size: 1009 as soon as a frame or fragment crosses it (RFC 6455 7.4.1). */
class MessageSizeTest {

  private static SessionChannel serverWithLimit(int max) {
    return new SessionChannel(new SessionConfig(false, max, 1000, true));
  }

  @Test
  void messageOfExactlyTheLimitIsAccepted() {
    SessionChannel ws = serverWithLimit(1000);
    ws.feedFromPeer(WsFrame.binary(new byte[1000], true));
    assertEquals(1000, ws.events(WebSocketMessageType.MESSAGE).get(0).size());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void oversizedFrameFailsWith1009FromItsHeaderAlone() {
    SessionChannel ws = serverWithLimit(1000);
    // FIN+binary, masked, 16-bit length 1001: the payload never needs to arrive.
    ws.feed(new byte[] {(byte) 0x82, (byte) (0x80 | 126), 0x03, (byte) 0xE9});
    ws.assertFailedWith(1009);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void oversizedFragmentedMessageFailsWith1009AtTheFragmentThatCrossesTheLimit() {
    SessionChannel ws = serverWithLimit(1000);
    ws.feedFromPeer(WsFrame.of(false, WsFrame.OP_BINARY, new byte[600], true));
    assertEquals(WebSocketMessageType.FRAGMENT, ws.events.get(0).type());
    assertTrue(ws.written().isEmpty());
    // The second fragment is not final: the limit is enforced before the message ends.
    ws.feedFromPeer(WsFrame.of(false, WsFrame.OP_CONTINUATION, new byte[401], true));
    ws.events.remove(0);
    ws.assertFailedWith(1009);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void fragmentedMessageOfExactlyTheLimitIsAccepted() {
    SessionChannel ws = serverWithLimit(1000);
    ws.feedFromPeer(
        WsFrame.of(
            false,
            WsFrame.OP_TEXT,
            "a".repeat(500).getBytes(java.nio.charset.StandardCharsets.UTF_8),
            true),
        WsFrame.of(
            true,
            WsFrame.OP_CONTINUATION,
            "b".repeat(500).getBytes(java.nio.charset.StandardCharsets.UTF_8),
            true));
    assertEquals(
        "a".repeat(500) + "b".repeat(500), ws.events(WebSocketMessageType.MESSAGE).get(0).str());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void fragmentedMessageThatOutgrowsTheServerBudgetFailsWith1009AndGivesItBack() {
    ReceiveBudget budget = new ReceiveBudget("server", 1500);
    SessionChannel ws = new SessionChannel(new SessionConfig(false, 1 << 20, 1000, true), budget);
    // Each fragment its own read: the message waits between them, charged to the budget.
    ws.feedFromPeer(WsFrame.of(false, WsFrame.OP_BINARY, new byte[1000], true));
    assertEquals(1000, budget.usedBytes());
    ws.feedFromPeer(WsFrame.of(false, WsFrame.OP_CONTINUATION, new byte[1000], true));
    // The second fragment was read whole; holding it for the next read is what is refused.
    assertEquals(
        List.of(WebSocketMessageType.FRAGMENT, WebSocketMessageType.FRAGMENT),
        ws.events.subList(0, 2).stream().map(WebSocketMessage::type).toList());
    ws.events.subList(0, 2).clear();
    ws.assertFailedWith(1009);
    assertEquals(
        "server receive budget of 1500 bytes exhausted", ws.events.get(1).closeInfo().reason());
    assertEquals(0, budget.usedBytes());
    ws.channel.finishAndReleaseAll();
    assertEquals(0, budget.usedBytes());
  }

  @Test
  void serverBudgetIsGivenBackWhenThePeerDisconnectsMidMessage() {
    ReceiveBudget budget = new ReceiveBudget("server", 1 << 20);
    SessionChannel ws = new SessionChannel(new SessionConfig(false, 1 << 20, 1000, true), budget);
    ws.feedFromPeer(WsFrame.of(false, WsFrame.OP_TEXT, new byte[5000], true));
    assertEquals(5000, budget.usedBytes());
    ws.channel.close();
    assertEquals(0, budget.usedBytes());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void limitAppliesPerMessageNotPerConnection() {
    SessionChannel ws = serverWithLimit(1000);
    for (int i = 0; i < 3; i++) {
      ws.feedFromPeer(
          WsFrame.of(false, WsFrame.OP_BINARY, new byte[600], true),
          WsFrame.of(true, WsFrame.OP_CONTINUATION, new byte[400], true));
    }
    assertEquals(3, ws.events(WebSocketMessageType.MESSAGE).size());
    assertTrue(ws.channel.isOpen());
    ws.channel.finishAndReleaseAll();
  }
}

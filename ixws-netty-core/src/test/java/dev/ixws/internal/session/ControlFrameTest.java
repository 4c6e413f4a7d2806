package dev.ixws.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.testkit.WsFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6455 sections 5.5.2 and 5.5.3: pings, pongs and the automatic answer. */
class ControlFrameTest {

  @Test
  void pingIsAnsweredWithPongCarryingTheSamePayload() {
    SessionChannel ws = SessionChannel.client();
    ws.feedFromPeer(WsFrame.ping("abc".getBytes(StandardCharsets.UTF_8), false));
    List<WsFrame> out = ws.written();
    assertEquals(1, out.size());
    assertEquals(WsFrame.OP_PONG, out.get(0).opcode());
    assertEquals("abc", out.get(0).text());
    assertTrue(out.get(0).masked(), "a client masks its pong");
    assertEquals(List.of(WebSocketMessage.ping("abc".getBytes(StandardCharsets.UTF_8))), ws.events);
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void withAutoPongOffNoPongIsWrittenButThePingIsDelivered() {
    SessionChannel ws = new SessionChannel(new SessionConfig(false, 1 << 20, 1000, false));
    ws.feedFromPeer(WsFrame.ping("hi".getBytes(StandardCharsets.UTF_8), true));
    assertTrue(ws.written().isEmpty(), "no automatic pong");
    assertEquals(1, ws.events.size());
    assertEquals(WebSocketMessageType.PING, ws.events.get(0).type());
    assertEquals("hi", ws.events.get(0).str());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void pongIsDeliveredAndNotAnswered() {
    SessionChannel ws = SessionChannel.server();
    ws.feedFromPeer(WsFrame.of(true, WsFrame.OP_PONG, new byte[] {7}, true));
    assertTrue(ws.written().isEmpty());
    assertEquals(WebSocketMessageType.PONG, ws.events.get(0).type());
    assertEquals(1, ws.events.get(0).size());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void pingOver125BytesIsRefusedWithoutSending() {
    SessionChannel ws = SessionChannel.server();
    WebSocketSendInfo info = ws.session.ping(new byte[126]);
    assertFalse(info.success());
    assertTrue(info.error().contains("125"), info.error());
    assertTrue(ws.written().isEmpty());
    ws.channel.finishAndReleaseAll();
  }

  @Test
  void sentFramesAreMaskedByTheClientOnly() {
    SessionChannel client = SessionChannel.client();
    WebSocketSendInfo sent = client.session.sendText("hi");
    assertTrue(sent.success());
    assertEquals(2 + 4 + 2, sent.wireSize(), "masked frame: header, key, payload");
    WsFrame frame = client.written().get(0);
    assertTrue(frame.masked());
    assertEquals("hi", frame.text());
    client.channel.finishAndReleaseAll();

    SessionChannel server = SessionChannel.server();
    assertEquals(2 + 2, server.session.sendText("hi").wireSize());
    assertFalse(server.written().get(0).masked());
    server.channel.finishAndReleaseAll();
  }
}

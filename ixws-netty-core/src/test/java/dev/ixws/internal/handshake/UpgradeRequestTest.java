package dev.ixws.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ixws.WebSocketHttpHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradeRequestTest {

  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  @Test
  void requestCarriesTheHandshakeHeadersThenTheExtraOnes() {
    UpgradeRequest request =
        new UpgradeRequest(
            "/chat?room=1",
            "127.0.0.1:8008",
            "http://127.0.0.1:8008",
            KEY,
            List.of("a", "b"),
            List.of(),
            WebSocketHttpHeaders.builder().set("X-Api-Key", "secret").build());
    assertEquals(
        "GET /chat?room=1 HTTP/1.1\r\n"
            + "Host: 127.0.0.1:8008\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: a, b\r\n"
            + "Origin: http://127.0.0.1:8008\r\n"
            + "X-Api-Key: secret\r\n"
            + "\r\n",
        request.text());
    ByteBuf bytes = request.encode(UnpooledByteBufAllocator.DEFAULT);
    try {
      assertEquals(request.text(), bytes.toString(StandardCharsets.UTF_8));
    } finally {
      bytes.release();
    }
  }

  @Test
  void extraHeadersCannotReplaceTheHandshakeOwnButMaySetOrigin() {
    WebSocketHttpHeaders extra =
        WebSocketHttpHeaders.builder()
            .set("host", "evil")
            .set("Upgrade", "h2c")
            .set("connection", "close")
            .set("Sec-WebSocket-Key", "x")
            .set("Sec-WebSocket-Version", "8")
            .set("Sec-WebSocket-Extensions", "permessage-deflate")
            .set("Sec-WebSocket-Protocol", "mine")
            .set("Origin", "https://app.example")
            .build();
    UpgradeRequest request =
        new UpgradeRequest("/", "h", "http://h", KEY, List.of(), List.of(), extra);
    assertEquals(
        "GET / HTTP/1.1\r\n"
            + "Host: h\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: mine\r\n"
            + "Origin: https://app.example\r\n"
            + "\r\n",
        request.text(),
        "with no subprotocol offered, the application's Sec-WebSocket-Protocol goes out as is");
  }

  @Test
  void offeredExtensionsGoIntoOneHeader() {
    Extensions.Offer deflate =
        new Extensions.Offer() {
          @Override
          public String name() {
            return "permessage-deflate";
          }

          @Override
          public String header() {
            return "permessage-deflate; client_max_window_bits";
          }

          @Override
          public String refusal(Extensions.Extension accepted) {
            return null;
          }
        };
    UpgradeRequest request =
        new UpgradeRequest(
            "/", "h", null, KEY, List.of(), List.of(deflate), WebSocketHttpHeaders.EMPTY);
    assertEquals(
        "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n",
        request.text());
  }

  @Test
  void headerNameThatIsNotATokenIsRefused() {
    WebSocketHttpHeaders extra = WebSocketHttpHeaders.builder().set("Bad Name", "v").build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new UpgradeRequest("/", "h", null, KEY, List.of(), List.of(), extra));
    assertEquals("'Bad Name' is not a valid header name", e.getMessage());
  }
}

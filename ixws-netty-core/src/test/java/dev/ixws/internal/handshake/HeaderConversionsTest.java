package dev.ixws.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ixws.WebSocketHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Received headers: built on first use, with the same content as headers built eagerly. */
class HeaderConversionsTest {

  private static HttpHeaders received() {
    return new DefaultHttpHeaders()
        .add("Host", "127.0.0.1:8008")
        .add("Sec-WebSocket-Protocol", "chat")
        .add("X-Trace", "a")
        .add("sec-websocket-protocol", "superchat")
        .add("x-trace", "b");
  }

  @Test
  void receivedHeadersMatchTheBuilderAddingThemInOrder() {
    WebSocketHttpHeaders lazy = HeaderConversions.fromNetty(received());
    WebSocketHttpHeaders.Builder eager = WebSocketHttpHeaders.builder();
    received().forEach(header -> eager.add(header.getKey(), header.getValue()));

    assertEquals(eager.build(), lazy);
    assertEquals(
        List.of("Host", "Sec-WebSocket-Protocol", "X-Trace"),
        List.copyOf(lazy.asMap().keySet()),
        "first spelling and position of each name");
    assertEquals("chat, superchat", lazy.get("SEC-WEBSOCKET-PROTOCOL"));
    assertEquals("a, b", lazy.get("x-trace"));
    assertEquals(3, lazy.size());
  }

  @Test
  void receivedHeadersReadOnAnotherThreadAreComplete() throws Exception {
    WebSocketHttpHeaders lazy = HeaderConversions.fromNetty(received());
    Map<String, String> seen = CompletableFuture.supplyAsync(lazy::asMap).get();
    assertEquals(
        Map.of(
            "Host",
            "127.0.0.1:8008",
            "Sec-WebSocket-Protocol",
            "chat, superchat",
            "X-Trace",
            "a, b"),
        seen);
  }

  @Test
  void noReceivedHeadersAreTheEmptyHeaders() {
    assertSame(WebSocketHttpHeaders.EMPTY, HeaderConversions.fromNetty(new DefaultHttpHeaders()));
  }
}

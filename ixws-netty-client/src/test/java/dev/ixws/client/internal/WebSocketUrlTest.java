package dev.ixws.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebSocketUrlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "ws://example.com, false, example.com, 80, /",
    "wss://example.com, true, example.com, 443, /",
    "ws://example.com/, false, example.com, 80, /",
    "ws://example.com:8008/chat, false, example.com, 8008, /chat",
    "wss://example.com:443/a/b?x=1&y=2, true, example.com, 443, /a/b?x=1&y=2",
    "ws://example.com?room=1, false, example.com, 80, /?room=1",
    "WS://Example.com:9/p, false, Example.com, 9, /p",
    "ws://127.0.0.1:8080/echo, false, 127.0.0.1, 8080, /echo",
    "ws://[::1]:9000/chat, false, ::1, 9000, /chat",
    "wss://[2001:db8::7], true, 2001:db8::7, 443, /",
    "ws://h/a%20b?q=%2F%3D, false, h, 80, /a%20b?q=%2F%3D"
  })
  void parsesSchemeHostPortAndTarget(
      String url, boolean secure, String host, int port, String target) {
    WebSocketUrl parsed = WebSocketUrl.parse(url);
    assertEquals(secure, parsed.secure());
    assertEquals(host, parsed.host());
    assertEquals(port, parsed.port());
    assertEquals(target, parsed.target());
    assertEquals(url, parsed.original());
  }

  @Test
  void ipv6AuthorityAndUriKeepBrackets() {
    WebSocketUrl url = WebSocketUrl.parse("ws://[::1]:9000/chat?x=1");
    assertEquals("[::1]:9000", url.authority());
    assertEquals(URI.create("ws://[::1]:9000/chat?x=1"), url.toUri());
    assertEquals("example.com:80", WebSocketUrl.parse("ws://example.com").authority());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "ws://example.com/x, example.com, http://example.com",
    "ws://example.com:80, example.com, http://example.com",
    "ws://example.com:8080, example.com:8080, http://example.com:8080",
    "wss://example.com:443, example.com, https://example.com",
    "wss://example.com:80, example.com:80, https://example.com:80",
    "ws://[::1]:9000/, [::1]:9000, http://[::1]:9000",
    "ws://[::1]/, [::1], http://[::1]"
  })
  void hostHeaderHasThePortOnlyWhenNotTheDefault(String url, String host, String origin) {
    WebSocketUrl parsed = WebSocketUrl.parse(url);
    assertEquals(host, parsed.hostHeader());
    assertEquals(origin, parsed.origin());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "http://example.com/",
    "https://example.com/",
    "ftp://example.com/",
    "example.com/chat",
    "//example.com/chat"
  })
  void otherSchemesAreRejectedWithAReadableMessage(String url) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WebSocketUrl.parse(url));
    assertTrue(e.getMessage().contains("'" + url + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("ws:// or wss://"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ws://example.com/chat#top", "ws://example.com/#", "wss://h:1/p?q=1#f"})
  void fragmentsAreRejected(String url) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WebSocketUrl.parse(url));
    assertTrue(e.getMessage().contains("fragment"), e.getMessage());
  }

  @Test
  void missingHostIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WebSocketUrl.parse("ws:///chat"));
    assertTrue(e.getMessage().contains("no host"), e.getMessage());
  }

  @Test
  void malformedUrlIsRejectedWithTheParserReason() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WebSocketUrl.parse("ws://bad host/"));
    assertTrue(e.getMessage().startsWith("Invalid WebSocket URL 'ws://bad host/'"), e.getMessage());
  }

  @Test
  void portOutOfRangeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> WebSocketUrl.parse("ws://example.com:0/"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> WebSocketUrl.parse("ws://example.com:70000/"));
    assertTrue(e.getMessage().contains("70000"), e.getMessage());
  }

  @Test
  void surroundingWhitespaceIsIgnored() {
    WebSocketUrl url = WebSocketUrl.parse("  ws://example.com/x  ");
    assertEquals("/x", url.target());
    assertFalse(url.secure());
  }
}

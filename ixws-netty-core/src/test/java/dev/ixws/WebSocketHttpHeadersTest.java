package dev.ixws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebSocketHttpHeadersTest {

  @Test
  void lookupIgnoresCase() {
    WebSocketHttpHeaders headers =
        WebSocketHttpHeaders.builder().set("Sec-WebSocket-Protocol", "chat").build();
    assertEquals("chat", headers.get("sec-websocket-protocol"));
    assertEquals("chat", headers.get("SEC-WEBSOCKET-PROTOCOL"));
    assertTrue(headers.contains("sec-WebSocket-protocol"));
    assertNull(headers.get("Other"));
    assertEquals("dflt", headers.getOrDefault("other", "dflt"));
  }

  @Test
  void iterationKeepsInsertionOrder() {
    WebSocketHttpHeaders headers =
        WebSocketHttpHeaders.builder().set("Zeta", "1").set("alpha", "2").set("Mid", "3").build();
    List<String> names = new ArrayList<>();
    headers.forEach((name, value) -> names.add(name + "=" + value));
    assertEquals(List.of("Zeta=1", "alpha=2", "Mid=3"), names);
    assertEquals(List.of("Zeta", "alpha", "Mid"), List.copyOf(headers.asMap().keySet()));
  }

  @Test
  void replacingAValueKeepsTheFirstSpellingAndPosition() {
    WebSocketHttpHeaders headers =
        WebSocketHttpHeaders.builder()
            .set("X-Token", "old")
            .set("Other", "o")
            .set("x-TOKEN", "new")
            .build();
    assertEquals(2, headers.size());
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("X-Token", "new");
    expected.put("Other", "o");
    assertEquals(expected, headers.asMap());
  }

  @Test
  void addJoinsRepeatedValuesWithCommaSpace() {
    WebSocketHttpHeaders headers =
        WebSocketHttpHeaders.builder().add("Accept", "a").add("ACCEPT", "b").build();
    assertEquals("a, b", headers.get("accept"));
    assertEquals(List.of("Accept"), List.copyOf(headers.asMap().keySet()));
  }

  @Test
  void removeIgnoresCase() {
    WebSocketHttpHeaders headers =
        WebSocketHttpHeaders.builder().set("A", "1").set("B", "2").remove("a").build();
    assertFalse(headers.contains("A"));
    assertEquals(1, headers.size());
  }

  @Test
  void crOrLfInNameOrValueIsRejected() {
    WebSocketHttpHeaders.Builder builder = WebSocketHttpHeaders.builder();
    assertThrows(IllegalArgumentException.class, () -> builder.set("X", "a\r\nInjected: yes"));
    assertThrows(IllegalArgumentException.class, () -> builder.set("X", "a\nb"));
    assertThrows(IllegalArgumentException.class, () -> builder.set("X", "a\rb"));
    assertThrows(IllegalArgumentException.class, () -> builder.set("X\r\nY", "v"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> builder.add("X", "a\nb"));
    assertTrue(e.getMessage().contains("CR or LF"), e.getMessage());
    assertTrue(builder.build().isEmpty(), "nothing was added");
  }

  @Test
  void emptyNameAndNullsAreRejected() {
    WebSocketHttpHeaders.Builder builder = WebSocketHttpHeaders.builder();
    assertThrows(IllegalArgumentException.class, () -> builder.set("", "v"));
    assertThrows(NullPointerException.class, () -> builder.set(null, "v"));
    assertThrows(NullPointerException.class, () -> builder.set("X", null));
  }

  @Test
  void instancesAreImmutableAndTheBuilderReusable() {
    WebSocketHttpHeaders.Builder builder = WebSocketHttpHeaders.builder().set("A", "1");
    WebSocketHttpHeaders first = builder.build();
    builder.set("B", "2");
    assertEquals(1, first.size());
    assertEquals(2, builder.build().size());
    assertThrows(UnsupportedOperationException.class, () -> first.asMap().put("C", "3"));
  }

  @Test
  void equalityFollowsNamesAsSpelledAndValues() {
    WebSocketHttpHeaders a = WebSocketHttpHeaders.of(Map.of("Host", "h"));
    WebSocketHttpHeaders b = WebSocketHttpHeaders.builder().set("Host", "h").build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertSame(WebSocketHttpHeaders.EMPTY, WebSocketHttpHeaders.builder().build());
  }

  @Test
  void toBuilderStartsFromTheSameHeaders() {
    WebSocketHttpHeaders base = WebSocketHttpHeaders.builder().set("One", "1").build();
    WebSocketHttpHeaders more = base.toBuilder().set("Two", "2").build();
    assertEquals(List.of("One", "Two"), List.copyOf(more.asMap().keySet()));
    assertEquals(1, base.size());
  }

  @Test
  void builderChangedAfterBuildLeavesTheBuiltHeadersAlone() {
    WebSocketHttpHeaders.Builder builder = WebSocketHttpHeaders.builder().set("One", "1");
    WebSocketHttpHeaders first = builder.build();
    builder.set("One", "changed").add("Two", "2").remove("Missing");
    WebSocketHttpHeaders second = builder.build();
    builder.remove("one");
    assertEquals(Map.of("One", "1"), first.asMap());
    assertEquals(Map.of("One", "changed", "Two", "2"), second.asMap());
    assertEquals(Map.of("Two", "2"), builder.build().asMap());
  }
}

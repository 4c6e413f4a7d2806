package dev.ixws.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ixws.internal.handshake.Extensions.Extension;
import dev.ixws.internal.handshake.Extensions.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code Sec-WebSocket-Extensions} grammar of RFC 6455 section 9.1. */
class ExtensionsTest {

  @Test
  void parsesNamesParametersAndQuotedValues() {
    List<Extension> parsed =
        Extensions.parse(
            List.of(
                "permessage-deflate; client_max_window_bits; server_max_window_bits=10",
                " x-foo ;a=\"b,c;\\\"d\" , x-bar"));
    assertEquals(
        List.of(
            new Extension(
                "permessage-deflate",
                List.of(
                    new Parameter("client_max_window_bits", null),
                    new Parameter("server_max_window_bits", "10"))),
            new Extension("x-foo", List.of(new Parameter("a", "b,c;\"d"))),
            new Extension("x-bar", List.of())),
        parsed);
    assertEquals(
        "permessage-deflate; client_max_window_bits; server_max_window_bits=10",
        parsed.get(0).toString());
  }

  @Test
  void emptyListElementsAreIgnored() {
    assertEquals(
        List.of(new Extension("a", List.of()), new Extension("b", List.of())),
        Extensions.parse(List.of(", a,, b ,")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", ",", "a;", "a;=1", "a; b=", "a b", "a; b=\"open", "@", "a;b=c d"})
  void malformedListsAreRefused(String header) {
    assertThrows(IllegalArgumentException.class, () -> Extensions.parse(List.of(header)));
  }
}

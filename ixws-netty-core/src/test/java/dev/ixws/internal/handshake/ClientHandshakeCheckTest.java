package dev.ixws.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.internal.handshake.ClientHandshakeCheck.Fault;
import dev.ixws.internal.handshake.ClientHandshakeCheck.Offer;
import dev.ixws.internal.handshake.ClientHandshakeCheck.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client's check of the server's response (RFC 6455 section 4.1), with byte-exact vectors. */
class ClientHandshakeCheckTest {

  // RFC 6455 section 1.3's sample key and its accept value.
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  private static final Offer NO_PROTOCOL = new Offer(KEY, List.of(), List.of());
  private static final Offer CHAT = new Offer(KEY, List.of("chat", "superchat"), List.of());

  /** Headers as {@code "Name: value"} lines, looked up by name in any case. */
  private static ClientHandshakeCheck.Headers headers(String... lines) {
    return name -> {
      List<String> values = new ArrayList<>();
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (line.substring(0, colon).equalsIgnoreCase(name)) {
          values.add(line.substring(colon + 1).trim());
        }
      }
      return values;
    };
  }

  private static Result check(Offer offer, String... lines) {
    return ClientHandshakeCheck.check(offer, 101, headers(lines));
  }

  private static void assertFault(Fault fault, String detail, Result result) {
    assertEquals(fault, result.fault(), result.toString());
    assertEquals(detail, result.detail());
    assertTrue(!result.ok());
  }

  @Test
  void validResponseWithoutSubprotocolOpens() {
    Result result =
        check(
            NO_PROTOCOL,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT);
    assertTrue(result.ok(), result.toString());
    assertNull(result.fault());
    assertEquals("", result.protocol());
    assertEquals(List.of(), result.extensions());
  }

  @ParameterizedTest(name = "Upgrade: {0}, Connection: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "websocket | Upgrade",
        "WebSocket | upgrade",
        "WEBSOCKET | keep-alive, Upgrade",
        " websocket | UPGRADE ,close"
      })
  void upgradeAndConnectionAreCaseInsensitive(String upgrade, String connection) {
    Result result =
        check(
            NO_PROTOCOL,
            "Upgrade: " + upgrade,
            "Connection: " + connection,
            "Sec-WebSocket-Accept: " + ACCEPT);
    assertTrue(result.ok(), result.toString());
  }

  @Test
  void connectionTokenMayBeOnAnyOfSeveralLines() {
    assertTrue(
        check(
                NO_PROTOCOL,
                "Upgrade: websocket",
                "Connection: keep-alive",
                "Connection: upgrade",
                "Sec-WebSocket-Accept: " + ACCEPT)
            .ok());
  }

  @Test
  void statusOtherThan101Fails() {
    Result result =
        ClientHandshakeCheck.check(
            NO_PROTOCOL,
            200,
            headers(
                "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: " + ACCEPT));
    assertFault(Fault.STATUS, "the status is 200, expected 101", result);
  }

  @Test
  void missingUpgradeFails() {
    assertFault(
        Fault.UPGRADE,
        "no Upgrade header, expected 'websocket'",
        check(NO_PROTOCOL, "Connection: Upgrade", "Sec-WebSocket-Accept: " + ACCEPT));
  }

  @ParameterizedTest
  @CsvSource({"h2c", "websocket2", "'websocket, h2c'", "webſocket"})
  void otherUpgradeFails(String upgrade) {
    assertFault(
        Fault.UPGRADE,
        "Upgrade is '" + upgrade + "', expected 'websocket'",
        check(
            NO_PROTOCOL,
            "Upgrade: " + upgrade,
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT));
  }

  @Test
  void missingConnectionFails() {
    assertFault(
        Fault.CONNECTION,
        "no Connection header, expected 'Upgrade'",
        check(NO_PROTOCOL, "Upgrade: websocket", "Sec-WebSocket-Accept: " + ACCEPT));
  }

  @Test
  void connectionWithoutTheUpgradeTokenFails() {
    assertFault(
        Fault.CONNECTION,
        "Connection is 'keep-alive, upgraded', expected 'Upgrade' in it",
        check(
            NO_PROTOCOL,
            "Upgrade: websocket",
            "Connection: keep-alive, upgraded",
            "Sec-WebSocket-Accept: " + ACCEPT));
  }

  @Test
  void missingAcceptFails() {
    assertFault(
        Fault.ACCEPT,
        "no Sec-WebSocket-Accept header, expected '" + ACCEPT + "'",
        check(NO_PROTOCOL, "Upgrade: websocket", "Connection: Upgrade"));
  }

  @Test
  void wrongAcceptFailsNamingBothValues() {
    assertFault(
        Fault.ACCEPT,
        "Sec-WebSocket-Accept is 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=', expected '" + ACCEPT + "'",
        check(
            NO_PROTOCOL,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA="));
  }

  @Test
  void acceptDiffersInCaseFails() {
    String lower = ACCEPT.toLowerCase(Locale.ROOT);
    assertEquals(
        Fault.ACCEPT,
        check(
                NO_PROTOCOL,
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Accept: " + lower)
            .fault(),
        "base64 is case-sensitive");
  }

  @Test
  void acceptOfTheKeyItselfFails() {
    // A server that echoes the key instead of hashing it.
    assertEquals(
        Fault.ACCEPT,
        check(
                NO_PROTOCOL,
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Accept: " + KEY)
            .fault());
  }

  @Test
  void twoAcceptHeadersFail() {
    assertFault(
        Fault.ACCEPT,
        "Sec-WebSocket-Accept is 2 headers: '"
            + ACCEPT
            + "', '"
            + ACCEPT
            + "', expected '"
            + ACCEPT
            + "'",
        check(
            NO_PROTOCOL,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Accept: " + ACCEPT));
  }

  @Test
  void extensionNotOfferedFails() {
    assertFault(
        Fault.EXTENSIONS,
        "Sec-WebSocket-Extensions names 'permessage-deflate', an extension the client did not offer"
            + " (it offered none)",
        check(
            NO_PROTOCOL,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=15"));
  }

  @Test
  void malformedOrEmptyExtensionsFail() {
    Result empty =
        check(
            NO_PROTOCOL,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Extensions: ");
    assertFault(
        Fault.EXTENSIONS, "Sec-WebSocket-Extensions '' is malformed: it names no extension", empty);
    Result broken =
        check(
            NO_PROTOCOL,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Extensions: x; =1");
    assertEquals(Fault.EXTENSIONS, broken.fault());
    assertTrue(broken.detail().startsWith("Sec-WebSocket-Extensions 'x; =1' is malformed"));
  }

  /** An offer that accepts its extension with any parameters but {@code bad}. */
  private static Extensions.Offer offerOf(String name) {
    return new Extensions.Offer() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String header() {
        return name;
      }

      @Override
      public String refusal(Extensions.Extension accepted) {
        boolean bad = accepted.parameters().stream().anyMatch(p -> p.name().equals("bad"));
        return bad ? "parameter 'bad' is not supported" : null;
      }
    };
  }

  @Test
  void offeredExtensionIsReturnedWithItsParametersForItsNegotiator() {
    Offer offer = new Offer(KEY, List.of(), List.of(offerOf("x-one"), offerOf("x-two")));
    Result result =
        check(
            offer,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Extensions: x-two; level=3");
    assertTrue(result.ok(), result.toString());
    assertEquals(
        List.of(new Extensions.Extension("x-two", List.of(new Extensions.Parameter("level", "3")))),
        result.extensions());

    assertFault(
        Fault.EXTENSIONS,
        "Sec-WebSocket-Extensions accepts 'x-one; bad': parameter 'bad' is not supported",
        check(
            offer,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Extensions: x-one; bad"));
    assertFault(
        Fault.EXTENSIONS,
        "Sec-WebSocket-Extensions names 'x-one' more than once",
        check(
            offer,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Extensions: x-one, x-one"));
    assertFault(
        Fault.EXTENSIONS,
        "Sec-WebSocket-Extensions names 'x-three', an extension the client did not offer"
            + " (it offered 'x-one', 'x-two')",
        check(
            offer,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Extensions: x-three"));
  }

  @Test
  void offeredSubprotocolIsTheResult() {
    Result result =
        check(
            CHAT,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Protocol: superchat");
    assertTrue(result.ok(), result.toString());
    assertEquals("superchat", result.protocol());
  }

  @Test
  void noSubprotocolChosenFromAnOfferOpensWithNone() {
    // RFC 6455 section 4.2.2 lets the server choose none; IXWebSocket then opens with "".
    Result result =
        check(CHAT, "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: " + ACCEPT);
    assertTrue(result.ok());
    assertEquals("", result.protocol());
  }

  @Test
  void subprotocolNotOfferedFails() {
    assertFault(
        Fault.PROTOCOL,
        "Sec-WebSocket-Protocol is 'chat', a subprotocol the client did not offer (it offered none)",
        check(
            NO_PROTOCOL,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Protocol: chat"));
    assertFault(
        Fault.PROTOCOL,
        "Sec-WebSocket-Protocol is 'Chat', a subprotocol the client did not offer"
            + " (it offered 'chat', 'superchat')",
        check(
            CHAT,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Protocol: Chat"));
    assertEquals(
        Fault.PROTOCOL,
        check(
                CHAT,
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Accept: " + ACCEPT,
                "Sec-WebSocket-Protocol: ")
            .fault(),
        "an empty value names no offered subprotocol");
  }

  @Test
  void moreThanOneSubprotocolFails() {
    assertFault(
        Fault.PROTOCOL,
        "Sec-WebSocket-Protocol is 'chat, superchat': a server chooses one subprotocol at most",
        check(
            CHAT,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + ACCEPT,
            "Sec-WebSocket-Protocol: chat, superchat"));
    assertEquals(
        Fault.PROTOCOL,
        check(
                CHAT,
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Accept: " + ACCEPT,
                "Sec-WebSocket-Protocol: chat",
                "Sec-WebSocket-Protocol: superchat")
            .fault());
  }

  @Test
  void theFirstBrokenRuleInTheRfcsOrderIsReported() {
    // Everything wrong: Upgrade comes first in RFC 6455 section 4.1's list.
    Result result =
        check(
            NO_PROTOCOL,
            "Upgrade: h2c",
            "Sec-WebSocket-Accept: x",
            "Sec-WebSocket-Extensions: x",
            "Sec-WebSocket-Protocol: y");
    assertEquals(Fault.UPGRADE, result.fault());
  }

  @Test
  void asciiCaseFoldingIgnoresOnlyAsciiLetters() {
    assertTrue(HeaderTokens.asciiEqualsIgnoreCase("WebSocket", "websocket"));
    assertTrue(!HeaderTokens.asciiEqualsIgnoreCase("webſocket", "websocket"));
    assertTrue(!HeaderTokens.asciiEqualsIgnoreCase("websocke", "websocket"));
    assertTrue(HeaderTokens.hasToken("keep-alive, Upgrade", "upgrade"));
    assertTrue(!HeaderTokens.hasToken("keep-alive; upgrade", "upgrade"));
    assertTrue(!HeaderTokens.hasToken(null, "upgrade"));
  }
}

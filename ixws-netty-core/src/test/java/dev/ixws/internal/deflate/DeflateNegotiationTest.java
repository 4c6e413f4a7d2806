package dev.ixws.internal.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.internal.handshake.Extensions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server's choice among offers and its answer, RFC 7692 section 7.1, as vectors. */
class DeflateNegotiationTest {

  private static DeflateNegotiation.Accepted accept(
      PerMessageDeflateOptions options, String... headers) {
    return DeflateNegotiation.accept(Extensions.parse(List.of(headers)), options);
  }

  private static DeflateNegotiation.Accepted accept(String... headers) {
    return accept(PerMessageDeflateOptions.DEFAULT, headers);
  }

  @Test
  void aBareOfferIsAcceptedWithTheDefaults() {
    DeflateNegotiation.Accepted accepted = accept("permessage-deflate");
    assertEquals(DeflateParameters.DEFAULTS, accepted.parameters());
    assertEquals("permessage-deflate", accepted.header());
  }

  @Test
  void chromesOfferIsAcceptedWithoutLimitingTheClient() {
    DeflateNegotiation.Accepted accepted = accept("permessage-deflate; client_max_window_bits");
    assertEquals(DeflateParameters.DEFAULTS, accepted.parameters());
    assertEquals("permessage-deflate", accepted.header());
  }

  @Test
  void ixwebsocketsOfferIsAnsweredWithTheServerWindowRepeated() {
    DeflateNegotiation.Accepted accepted =
        accept("permessage-deflate; server_max_window_bits=15; client_max_window_bits=15");
    assertEquals(DeflateParameters.DEFAULTS, accepted.parameters());
    assertEquals("permessage-deflate; server_max_window_bits=15", accepted.header());
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
  void theServerWindowIsAtMostWhatTheClientAllows(int bits) {
    DeflateNegotiation.Accepted accepted =
        accept("permessage-deflate; server_max_window_bits=" + bits);
    assertEquals(bits, accepted.parameters().serverMaxWindowBits());
    assertEquals("permessage-deflate; server_max_window_bits=" + bits, accepted.header());
  }

  @Test
  void theServerMayStateASmallerWindowOfItsOwn() {
    PerMessageDeflateOptions options =
        PerMessageDeflateOptions.builder().serverMaxWindowBits(10).build();
    assertEquals(
        "permessage-deflate; server_max_window_bits=10",
        accept(options, "permessage-deflate").header());
    assertEquals(
        10,
        accept(options, "permessage-deflate; server_max_window_bits=12")
            .parameters()
            .serverMaxWindowBits());
  }

  @Test
  void serverNoContextTakeoverIsHonouredWhenAsked() {
    DeflateNegotiation.Accepted accepted = accept("permessage-deflate; server_no_context_takeover");
    assertEquals(true, accepted.parameters().serverNoContextTakeover());
    assertEquals("permessage-deflate; server_no_context_takeover", accepted.header());
  }

  @Test
  void clientNoContextTakeoverOfferedIsRecordedAndNeedNotBeAnswered() {
    DeflateNegotiation.Accepted accepted = accept("permessage-deflate; client_no_context_takeover");
    assertEquals(true, accepted.parameters().clientNoContextTakeover());
    assertEquals("permessage-deflate; client_no_context_takeover", accepted.header());
  }

  @Test
  void theServerMayAskTheClientForNoContextTakeover() {
    PerMessageDeflateOptions options =
        PerMessageDeflateOptions.builder().clientNoContextTakeover(true).build();
    assertEquals(
        "permessage-deflate; client_no_context_takeover",
        accept(options, "permessage-deflate").header());
  }

  @Test
  void theClientWindowIsLimitedOnlyWhenTheOfferAllowsIt() {
    PerMessageDeflateOptions options =
        PerMessageDeflateOptions.builder().clientMaxWindowBits(11).build();
    assertEquals(
        "permessage-deflate; client_max_window_bits=11",
        accept(options, "permessage-deflate; client_max_window_bits").header());
    assertEquals(
        "permessage-deflate; client_max_window_bits=9",
        accept(options, "permessage-deflate; client_max_window_bits=9").header());
    // Without client_max_window_bits the client may use 15 bits: nothing to ask.
    DeflateNegotiation.Accepted plain = accept(options, "permessage-deflate");
    assertEquals("permessage-deflate", plain.header());
    assertEquals(15, plain.parameters().clientMaxWindowBits());
  }

  @Test
  void theFirstAcceptableOfferWinsAcrossElementsAndHeaders() {
    DeflateNegotiation.Accepted accepted =
        accept(
            "x-unknown, permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; bogus, permessage-deflate; server_max_window_bits=10",
            "permessage-deflate");
    assertEquals(10, accepted.parameters().serverMaxWindowBits());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "permessage-deflate; unknown_parameter",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=010",
        "permessage-deflate; server_max_window_bits=abc",
        "permessage-deflate; client_max_window_bits=7",
        "permessage-deflate; client_max_window_bits=16",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; client_no_context_takeover=yes",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; client_max_window_bits=10; client_max_window_bits=11",
        "x-other-extension"
      })
  void anInvalidOrForeignOfferIsDeclined(String offer) {
    assertNull(accept(offer));
  }

  @Test
  void aQuotedWindowValueIsAccepted() {
    assertEquals(
        12,
        accept("permessage-deflate; server_max_window_bits=\"12\"")
            .parameters()
            .serverMaxWindowBits());
  }

  @Test
  void disabledOptionsDeclineEverything() {
    assertNull(accept(PerMessageDeflateOptions.DISABLED, "permessage-deflate"));
  }
}

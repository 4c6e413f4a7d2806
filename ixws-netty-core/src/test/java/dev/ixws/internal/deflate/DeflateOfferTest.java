package dev.ixws.internal.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.internal.handshake.Extensions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's offer and its judgement of the server's answer (RFC 7692 section 7.1). */
class DeflateOfferTest {

  private static final DeflateOffer IX = new DeflateOffer(PerMessageDeflateOptions.DEFAULT);

  private static Extensions.Extension response(String header) {
    return Extensions.parse(List.of(header)).get(0);
  }

  @Test
  void theDefaultOfferIsIxWebSockets() {
    assertEquals(
        "permessage-deflate; server_max_window_bits=15; client_max_window_bits=15", IX.header());
  }

  @Test
  void theOfferCarriesTheAskedParameters() {
    DeflateOffer offer =
        new DeflateOffer(
            PerMessageDeflateOptions.builder()
                .clientNoContextTakeover(true)
                .serverNoContextTakeover(true)
                .clientMaxWindowBits(10)
                .serverMaxWindowBits(12)
                .build());
    assertEquals(
        "permessage-deflate; client_no_context_takeover; server_no_context_takeover;"
            + " server_max_window_bits=12; client_max_window_bits=10",
        offer.header());
  }

  @Test
  void withoutWindowBitsTheOfferStillLetsTheServerLimitTheClient() {
    DeflateOffer offer =
        new DeflateOffer(PerMessageDeflateOptions.builder().windowBitsInOffer(false).build());
    assertEquals("permessage-deflate; client_max_window_bits", offer.header());
    assertEquals(
        9,
        offer
            .parameters(response("permessage-deflate; client_max_window_bits=9"))
            .clientMaxWindowBits());
  }

  @Test
  void aPlainAcceptanceGivesTheDefaults() {
    assertEquals(DeflateParameters.DEFAULTS, IX.parameters(response("permessage-deflate")));
  }

  @Test
  void theServersLimitsAreTaken() {
    DeflateParameters agreed =
        IX.parameters(
            response(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                    + " server_max_window_bits=9; client_max_window_bits=10"));
    assertEquals(new DeflateParameters(true, true, 10, 9), agreed);
  }

  @Test
  void aClientThatAskedForNoContextTakeoverKeepsItWhateverTheAnswer() {
    DeflateOffer offer =
        new DeflateOffer(PerMessageDeflateOptions.builder().clientNoContextTakeover(true).build());
    assertTrue(offer.parameters(response("permessage-deflate")).clientNoContextTakeover());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "permessage-deflate; unknown",
        "permessage-deflate; client_max_window_bits",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; client_max_window_bits=x",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover"
      })
  void anAnswerTheOfferDidNotAllowIsRefused(String header) {
    assertNotNull(IX.refusal(response(header)), header);
  }

  @Test
  void aWindowLargerThanOfferedIsRefused() {
    DeflateOffer offer =
        new DeflateOffer(
            PerMessageDeflateOptions.builder()
                .serverMaxWindowBits(10)
                .clientMaxWindowBits(11)
                .build());
    assertNotNull(offer.refusal(response("permessage-deflate; server_max_window_bits=11")));
    assertNotNull(
        offer.refusal(
            response("permessage-deflate; server_max_window_bits=10; client_max_window_bits=12")));
    // A limit the server did not answer is not accepted either.
    assertNotNull(offer.refusal(response("permessage-deflate")));
    assertNull(offer.refusal(response("permessage-deflate; server_max_window_bits=10")));
  }

  @Test
  void anUnansweredServerNoContextTakeoverIsRefused() {
    DeflateOffer offer =
        new DeflateOffer(PerMessageDeflateOptions.builder().serverNoContextTakeover(true).build());
    assertNotNull(offer.refusal(response("permessage-deflate")));
    assertNull(offer.refusal(response("permessage-deflate; server_no_context_takeover")));
  }
}

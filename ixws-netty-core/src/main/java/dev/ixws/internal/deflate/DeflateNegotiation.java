package dev.ixws.internal.deflate;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.internal.handshake.Extensions;
import java.util.List;

/**
 * The server's side of the negotiation (RFC 7692 section 7.1): of the client's {@code
 * permessage-deflate} offers, in order, the first it can accept within its own options, and the
 * parameters of its response. An offer with an unknown, repeated or invalid parameter is declined
 * (section 7.1: "A server MUST decline an extension negotiation offer..."), and the next one is
 * tried.
 */
public final class DeflateNegotiation {

  private DeflateNegotiation() {}

  /**
   * An accepted offer.
   *
   * @param parameters what both ends use
   * @param header the response's {@code Sec-WebSocket-Extensions} value
   */
  public record Accepted(DeflateParameters parameters, String header) {}

  /**
   * The parameters to answer with, or null when no offer is acceptable (or the server's options
   * disable deflate).
   *
   * @param offers every extension the client offered, in order (others than ours are skipped)
   * @param options what the server is willing to do
   */
  public static Accepted accept(
      List<Extensions.Extension> offers, PerMessageDeflateOptions options) {
    if (!options.enabled()) {
      return null;
    }
    for (Extensions.Extension offer : offers) {
      if (!offer.name().equals(DeflateParameters.NAME)) {
        continue;
      }
      DeflateExtensionParameters asked;
      try {
        asked = DeflateExtensionParameters.read(offer);
      } catch (IllegalArgumentException e) {
        continue; // declined; the next offer may do
      }
      DeflateParameters parameters = answer(asked, options);
      return new Accepted(
          parameters,
          parameters.responseHeader(
              asked.serverMaxWindowBits() != DeflateExtensionParameters.ABSENT));
    }
    return null;
  }

  private static DeflateParameters answer(
      DeflateExtensionParameters asked, PerMessageDeflateOptions options) {
    // Our own window: within what the client allows (7.1.2.1), and what we want; we may state a
    // limit the client did not ask for.
    int serverBits = options.serverMaxWindowBits();
    if (asked.serverMaxWindowBits() != DeflateExtensionParameters.ABSENT) {
      serverBits = Math.min(serverBits, asked.serverMaxWindowBits());
    }
    // The client's window: it may only be limited when the client said it can be (7.1.2.2).
    int clientBits = 15;
    if (asked.clientMaxWindowBits() == DeflateExtensionParameters.NO_VALUE) {
      clientBits = options.clientMaxWindowBits();
    } else if (asked.clientMaxWindowBits() != DeflateExtensionParameters.ABSENT) {
      clientBits = Math.min(asked.clientMaxWindowBits(), options.clientMaxWindowBits());
    }
    return new DeflateParameters(
        asked.clientNoContextTakeover() || options.clientNoContextTakeover(),
        asked.serverNoContextTakeover() || options.serverNoContextTakeover(),
        clientBits,
        serverBits);
  }
}

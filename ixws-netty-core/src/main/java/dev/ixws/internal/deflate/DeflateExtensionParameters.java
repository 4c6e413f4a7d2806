package dev.ixws.internal.deflate;

import dev.ixws.internal.handshake.Extensions;

/**
 * The parameters of one {@code permessage-deflate} element of a {@code Sec-WebSocket-Extensions}
 * header, read and checked against RFC 7692 section 7.1: only the four defined names, each at most
 * once, the two {@code no_context_takeover} ones without a value, window sizes as decimal integers
 * from 8 to 15 ({@code client_max_window_bits} may have no value, but only in an offer).
 *
 * @param clientNoContextTakeover whether {@code client_no_context_takeover} is present
 * @param serverNoContextTakeover whether {@code server_no_context_takeover} is present
 * @param clientMaxWindowBits {@code client_max_window_bits}'s value; 0 when present without one, -1
 *     when absent
 * @param serverMaxWindowBits {@code server_max_window_bits}'s value; -1 when absent
 */
record DeflateExtensionParameters(
    boolean clientNoContextTakeover,
    boolean serverNoContextTakeover,
    int clientMaxWindowBits,
    int serverMaxWindowBits) {

  static final int ABSENT = -1;
  static final int NO_VALUE = 0;

  /**
   * Reads {@code extension}'s parameters.
   *
   * @throws IllegalArgumentException naming the first parameter that breaks RFC 7692 section 7.1
   */
  static DeflateExtensionParameters read(Extensions.Extension extension) {
    boolean clientNoContext = false;
    boolean serverNoContext = false;
    int clientBits = ABSENT;
    int serverBits = ABSENT;
    for (Extensions.Parameter parameter : extension.parameters()) {
      String value = parameter.value();
      switch (parameter.name()) {
        case "client_no_context_takeover" -> {
          requireOnce(clientNoContext, parameter);
          requireNoValue(parameter);
          clientNoContext = true;
        }
        case "server_no_context_takeover" -> {
          requireOnce(serverNoContext, parameter);
          requireNoValue(parameter);
          serverNoContext = true;
        }
        case "client_max_window_bits" -> {
          requireOnce(clientBits != ABSENT, parameter);
          clientBits = value == null ? NO_VALUE : windowBits(parameter);
        }
        case "server_max_window_bits" -> {
          requireOnce(serverBits != ABSENT, parameter);
          if (value == null) {
            throw new IllegalArgumentException("server_max_window_bits needs a value (8 to 15)");
          }
          serverBits = windowBits(parameter);
        }
        default ->
            throw new IllegalArgumentException(
                "'" + parameter.name() + "' is not a permessage-deflate parameter");
      }
    }
    return new DeflateExtensionParameters(clientNoContext, serverNoContext, clientBits, serverBits);
  }

  private static void requireOnce(boolean seen, Extensions.Parameter parameter) {
    if (seen) {
      throw new IllegalArgumentException("'" + parameter.name() + "' appears more than once");
    }
  }

  private static void requireNoValue(Extensions.Parameter parameter) {
    if (parameter.value() != null) {
      throw new IllegalArgumentException("'" + parameter.name() + "' takes no value");
    }
  }

  /** RFC 7692 section 7.1.2: 1*DIGIT, no leading zero, from 8 to 15. */
  private static int windowBits(Extensions.Parameter parameter) {
    String value = parameter.value();
    boolean digits = !value.isEmpty() && value.length() <= 2 && value.charAt(0) != '0';
    for (int i = 0; digits && i < value.length(); i++) {
      digits = value.charAt(i) >= '0' && value.charAt(i) <= '9';
    }
    int bits = digits ? Integer.parseInt(value) : ABSENT;
    if (bits < 8 || bits > 15) {
      throw new IllegalArgumentException(
          "'" + parameter + "': the window size must be an integer from 8 to 15");
    }
    return bits;
  }
}

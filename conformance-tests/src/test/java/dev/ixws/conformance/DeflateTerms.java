package dev.ixws.conformance;

import java.util.Locale;

/**
 * The per-message deflate terms of a case (RFC 7692): the header the test peer sends (the offer
 * when it is the client, the answer when it is the server) and the parameters the connection must
 * end up with, which the peer then holds the implementation to: it inflates what the implementation
 * sends with exactly the implementation's window, afresh for every message when that side has no
 * context takeover, and compresses what it sends within its own.
 *
 * @param header what the peer sends in {@code Sec-WebSocket-Extensions}
 * @param clientBits the client's window
 * @param serverBits the server's window
 * @param clientNoContext the client compresses every message afresh
 * @param serverNoContext the server compresses every message afresh
 * @param accepted false when the server must decline the offer (the connection then does not
 *     compress)
 */
record DeflateTerms(
    String header,
    int clientBits,
    int serverBits,
    boolean clientNoContext,
    boolean serverNoContext,
    boolean accepted) {

  /** Terms the server accepts. */
  DeflateTerms(
      String header,
      int clientBits,
      int serverBits,
      boolean clientNoContext,
      boolean serverNoContext) {
    this(header, clientBits, serverBits, clientNoContext, serverNoContext, true);
  }

  /** The terms of a header whose agreed parameters are RFC 7692's defaults. */
  static DeflateTerms plain(String header) {
    return new DeflateTerms(header, 15, 15, false, false);
  }

  /** An offer the server must decline. */
  static DeflateTerms declined(String header) {
    return new DeflateTerms(header, 15, 15, false, false, false);
  }

  /** The window of the side that is the server (or the client). */
  int bits(boolean server) {
    return server ? serverBits : clientBits;
  }

  /** Whether the side that is the server (or the client) compresses every message afresh. */
  boolean noContext(boolean server) {
    return server ? serverNoContext : clientNoContext;
  }

  /**
   * What is wrong with the server's answer {@code answer} for these terms (the client asked for
   * them), or null when it agrees: {@code permessage-deflate} with parameters that give exactly the
   * expected windows and context modes (absent ones mean 15 and context takeover, except the
   * client's own asks, which hold whatever the answer).
   */
  String checkAnswer(String answer) {
    if (!accepted) {
      return answer == null ? null : "the server accepted '" + answer + "', which it must decline";
    }
    if (answer == null) {
      return "the server did not accept per-message deflate";
    }
    String[] parts = answer.split(";");
    if (!parts[0].trim().equals("permessage-deflate") || answer.contains(",")) {
      return "the answer '" + answer + "' is not one permessage-deflate";
    }
    int server = 15;
    int client = offered("client_max_window_bits");
    boolean serverNc = false;
    boolean clientNc = header.contains("client_no_context_takeover");
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
      int eq = parameter.indexOf('=');
      String name = eq < 0 ? parameter : parameter.substring(0, eq).trim();
      String value = eq < 0 ? null : parameter.substring(eq + 1).trim().replace("\"", "");
      switch (name) {
        case "server_no_context_takeover" -> serverNc = true;
        case "client_no_context_takeover" -> clientNc = true;
        case "server_max_window_bits" -> server = Integer.parseInt(value);
        case "client_max_window_bits" -> {
          if (value == null) {
            return "client_max_window_bits without a value in the answer '" + answer + "'";
          }
          client = Integer.parseInt(value);
        }
        default -> {
          return "the answer '" + answer + "' has the unknown parameter " + name;
        }
      }
    }
    if (server != serverBits
        || client != clientBits
        || serverNc != serverNoContext
        || clientNc != clientNoContext) {
      return "the answer '" + answer + "' does not agree on " + this;
    }
    return null;
  }

  /** The window the offer gave a parameter, 15 when it gave none. */
  private int offered(String parameter) {
    int at = header.indexOf(parameter + "=");
    if (at < 0) {
      return 15;
    }
    String rest = header.substring(at + parameter.length() + 1);
    int end = 0;
    while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
      end++;
    }
    return Integer.parseInt(rest.substring(0, end));
  }

  @Override
  public String toString() {
    return "client window "
        + clientBits
        + (clientNoContext ? " without context" : "")
        + ", server window "
        + serverBits
        + (serverNoContext ? " without context" : "");
  }
}

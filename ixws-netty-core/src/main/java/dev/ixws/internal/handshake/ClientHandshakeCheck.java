package dev.ixws.internal.handshake;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The client's check of the server's opening-handshake response (RFC 6455 section 4.1, the list
 * after "If the status code received from the server is not 101"): each rule whose breach the RFC
 * says must fail the connection, in the RFC's order, the first breach reported with a readable
 * detail. A pure function of the offer and the response, so it is tested with vectors.
 */
public final class ClientHandshakeCheck {

  private ClientHandshakeCheck() {}

  /** The response's headers: every value of a name, one per header line, any case of the name. */
  @FunctionalInterface
  public interface Headers {
    /** The values of {@code name}, in order; empty when absent. */
    List<String> all(String name);
  }

  /**
   * What the client sent.
   *
   * @param key its {@code Sec-WebSocket-Key}
   * @param subprotocols the subprotocols it offered, in order
   * @param extensions the extensions it offered
   */
  public record Offer(String key, List<String> subprotocols, List<Extensions.Offer> extensions) {
    /** Copies the lists. */
    public Offer {
      Objects.requireNonNull(key, "key");
      subprotocols = List.copyOf(subprotocols);
      extensions = List.copyOf(extensions);
    }
  }

  /** Which rule a response broke. */
  public enum Fault {
    /** The status is not 101 (RFC 6455 section 4.1: "handled per HTTP procedures"). */
    STATUS,
    /** {@code Upgrade} is missing or not {@code websocket} (item 2 of the list). */
    UPGRADE,
    /** {@code Connection} is missing or lacks the {@code Upgrade} token (item 3). */
    CONNECTION,
    /** {@code Sec-WebSocket-Accept} is missing or wrong (item 4). */
    ACCEPT,
    /**
     * {@code Sec-WebSocket-Extensions} names an extension not offered, or is malformed (item 5).
     */
    EXTENSIONS,
    /** {@code Sec-WebSocket-Protocol} names a subprotocol not offered, or several (item 6). */
    PROTOCOL
  }

  /**
   * The verdict.
   *
   * @param fault the rule broken, or null when the response is valid
   * @param detail what is wrong, for the error's reason; empty when valid
   * @param protocol the subprotocol the server chose, or "" for none
   * @param extensions the extensions the server accepted, in its order (only offered ones)
   */
  public record Result(
      Fault fault, String detail, String protocol, List<Extensions.Extension> extensions) {
    /** Copies the list. */
    public Result {
      extensions = List.copyOf(extensions);
    }

    static Result failed(Fault fault, String detail) {
      return new Result(fault, detail, "", List.of());
    }

    /** Whether the response is a valid acceptance of the offer. */
    public boolean ok() {
      return fault == null;
    }
  }

  /** Checks the response with {@code status} and {@code headers} against {@code offer}. */
  public static Result check(Offer offer, int status, Headers headers) {
    if (status != 101) {
      return Result.failed(Fault.STATUS, "the status is " + status + ", expected 101");
    }
    List<String> upgrade = headers.all("Upgrade");
    if (upgrade.isEmpty()) {
      return Result.failed(Fault.UPGRADE, "no Upgrade header, expected 'websocket'");
    }
    if (upgrade.size() != 1
        || !HeaderTokens.asciiEqualsIgnoreCase(upgrade.get(0).trim(), "websocket")) {
      return Result.failed(
          Fault.UPGRADE, "Upgrade is " + quote(upgrade) + ", expected 'websocket'");
    }
    List<String> connection = headers.all("Connection");
    if (connection.isEmpty()) {
      return Result.failed(Fault.CONNECTION, "no Connection header, expected 'Upgrade'");
    }
    if (!HeaderTokens.anyHasToken(connection, "upgrade")) {
      return Result.failed(
          Fault.CONNECTION, "Connection is " + quote(connection) + ", expected 'Upgrade' in it");
    }
    List<String> accept = headers.all("Sec-WebSocket-Accept");
    String expected = AcceptKey.of(offer.key());
    if (accept.isEmpty()) {
      return Result.failed(
          Fault.ACCEPT, "no Sec-WebSocket-Accept header, expected '" + expected + "'");
    }
    if (accept.size() != 1 || !accept.get(0).trim().equals(expected)) {
      return Result.failed(
          Fault.ACCEPT,
          "Sec-WebSocket-Accept is " + quote(accept) + ", expected '" + expected + "'");
    }
    List<String> extensionLines = headers.all("Sec-WebSocket-Extensions");
    List<Extensions.Extension> extensions = List.of();
    if (!extensionLines.isEmpty()) {
      try {
        extensions = Extensions.parse(extensionLines);
      } catch (IllegalArgumentException e) {
        return Result.failed(
            Fault.EXTENSIONS,
            "Sec-WebSocket-Extensions "
                + quote(extensionLines)
                + " is malformed: "
                + e.getMessage());
      }
      String refusal = refuseExtensions(offer, extensions);
      if (refusal != null) {
        return Result.failed(Fault.EXTENSIONS, refusal);
      }
    }
    List<String> protocolLines = headers.all("Sec-WebSocket-Protocol");
    String protocol = "";
    if (!protocolLines.isEmpty()) {
      protocol = protocolLines.get(0).trim();
      if (protocolLines.size() != 1 || protocol.contains(",")) {
        return Result.failed(
            Fault.PROTOCOL,
            "Sec-WebSocket-Protocol is "
                + quote(protocolLines)
                + ": a server chooses one subprotocol at most");
      }
      if (!offer.subprotocols().contains(protocol)) {
        return Result.failed(
            Fault.PROTOCOL,
            "Sec-WebSocket-Protocol is '"
                + protocol
                + "', a subprotocol the client did not offer ("
                + offered(offer.subprotocols())
                + ")");
      }
    }
    return new Result(null, "", protocol, extensions);
  }

  /** Why the accepted {@code extensions} cannot be used with {@code offer}, or null. */
  private static String refuseExtensions(Offer offer, List<Extensions.Extension> extensions) {
    Set<String> seen = new HashSet<>();
    for (Extensions.Extension accepted : extensions) {
      Extensions.Offer offered = null;
      for (Extensions.Offer candidate : offer.extensions()) {
        if (candidate.name().equals(accepted.name())) {
          offered = candidate;
        }
      }
      if (offered == null) {
        List<String> names = new ArrayList<>();
        offer.extensions().forEach(o -> names.add(o.name()));
        return "Sec-WebSocket-Extensions names '"
            + accepted.name()
            + "', an extension the client did not offer ("
            + offered(names)
            + ")";
      }
      if (!seen.add(accepted.name())) {
        return "Sec-WebSocket-Extensions names '" + accepted.name() + "' more than once";
      }
      String refusal = offered.refusal(accepted);
      if (refusal != null) {
        return "Sec-WebSocket-Extensions accepts '" + accepted + "': " + refusal;
      }
    }
    return null;
  }

  private static String offered(List<String> names) {
    if (names.isEmpty()) {
      return "it offered none";
    }
    return "it offered '" + String.join("', '", names) + "'";
  }

  /** The header's values as they are shown in a reason: one quoted, several listed. */
  private static String quote(List<String> values) {
    if (values.size() == 1) {
      return "'" + values.get(0) + "'";
    }
    return values.size() + " headers: '" + String.join("', '", values) + "'";
  }
}

package dev.ixws.internal.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Sec-WebSocket-Extensions} header (RFC 6455 section 9.1), parsed: {@code
 * permessage-deflate; client_max_window_bits=10, x-other}. Shared by the client, which checks what
 * a server accepted, and (with deflate) by the server, which reads what a client offers.
 */
public final class Extensions {

  private Extensions() {}

  /**
   * One extension of the list with its parameters, in order.
   *
   * @param name the extension token, as written
   * @param parameters its parameters, in order
   */
  public record Extension(String name, List<Parameter> parameters) {
    /** Copies the list. */
    public Extension {
      parameters = List.copyOf(parameters);
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder(name);
      parameters.forEach(p -> text.append("; ").append(p));
      return text.toString();
    }
  }

  /**
   * An extension the client offers: what it writes in its request and how it judges the server's
   * answer. Per-message deflate will be one; today the client offers none.
   */
  public interface Offer {
    /** The extension token, e.g. {@code permessage-deflate}. */
    String name();

    /** The offer as it goes into the request's {@code Sec-WebSocket-Extensions}. */
    String header();

    /**
     * Why the server's acceptance of this extension (its name equal to {@link #name()}) cannot be
     * used, or null when its parameters are acceptable (RFC 6455 section 9.1; RFC 7692 section 5).
     */
    String refusal(Extension accepted);
  }

  /**
   * One parameter of an extension.
   *
   * @param name the parameter's token
   * @param value its value (a quoted string unescaped), or null when it has none
   */
  public record Parameter(String name, String value) {
    @Override
    public String toString() {
      return value == null ? name : name + "=" + value;
    }
  }

  /**
   * The extensions of the header lines {@code values} (one element per line), in order: {@code
   * extension-list = 1#extension}, {@code extension = token *( ";" token [ "=" (token |
   * quoted-string) ] )}, whitespace allowed around the separators, empty list elements ignored.
   *
   * @throws IllegalArgumentException when the lines do not follow that grammar or name no extension
   */
  public static List<Extension> parse(List<String> values) {
    List<Extension> extensions = new ArrayList<>();
    for (String value : values) {
      new Parser(value).list(extensions);
    }
    if (extensions.isEmpty()) {
      throw new IllegalArgumentException("it names no extension");
    }
    return List.copyOf(extensions);
  }

  /** A recursive-descent reader of one header line. */
  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    void list(List<Extension> into) {
      while (true) {
        skipSpace();
        if (at == text.length()) {
          return;
        }
        if (peek() == ',') { // an empty element
          at++;
          continue;
        }
        into.add(extension());
        skipSpace();
        if (at == text.length()) {
          return;
        }
        expect(',');
      }
    }

    private Extension extension() {
      String name = token("an extension name");
      List<Parameter> parameters = new ArrayList<>();
      while (true) {
        skipSpace();
        if (at == text.length() || peek() == ',') {
          return new Extension(name, parameters);
        }
        expect(';');
        skipSpace();
        String parameter = token("a parameter name");
        skipSpace();
        String value = null;
        if (at < text.length() && peek() == '=') {
          at++;
          skipSpace();
          value = at < text.length() && peek() == '"' ? quoted() : token("a parameter value");
        }
        parameters.add(new Parameter(parameter, value));
      }
    }

    private String token(String what) {
      int start = at;
      while (at < text.length() && HeaderTokens.isTokenChar(peek())) {
        at++;
      }
      if (start == at) {
        throw new IllegalArgumentException(
            "expected " + what + " at offset " + start + " of '" + text + "'");
      }
      return text.substring(start, at);
    }

    private String quoted() {
      int start = at;
      at++; // the opening quote
      StringBuilder value = new StringBuilder();
      while (at < text.length()) {
        char c = text.charAt(at++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\' && at < text.length()) {
          c = text.charAt(at++);
        }
        value.append(c);
      }
      throw new IllegalArgumentException(
          "unterminated quoted string at offset " + start + " of '" + text + "'");
    }

    private void expect(char c) {
      if (at >= text.length() || peek() != c) {
        throw new IllegalArgumentException(
            "expected '" + c + "' at offset " + at + " of '" + text + "'");
      }
      at++;
    }

    private char peek() {
      return text.charAt(at);
    }

    private void skipSpace() {
      while (at < text.length() && (peek() == ' ' || peek() == '\t')) {
        at++;
      }
    }
  }
}

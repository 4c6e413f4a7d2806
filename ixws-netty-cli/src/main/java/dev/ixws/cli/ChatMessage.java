package dev.ixws.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A chat line as IX's {@code ws chat} sends it: the text message {@code
 * {"user":"USER","text":"TEXT"}}.
 *
 * @param user who wrote it
 * @param text what was written
 */
record ChatMessage(String user, String text) {

  /** The JSON text sent on the wire. */
  String encode() {
    JsonObject json = new JsonObject();
    json.field("user", user);
    json.field("text", text);
    return json.toString();
  }

  /**
   * The chat message in {@code json}, or empty when it is not a JSON object with string fields
   * {@code user} and {@code text} (other fields are ignored; nested values are refused).
   */
  static Optional<ChatMessage> decode(String json) {
    Map<String, String> fields = new FlatJsonParser(json).parse();
    if (fields == null || fields.get("user") == null || fields.get("text") == null) {
      return Optional.empty();
    }
    return Optional.of(new ChatMessage(fields.get("user"), fields.get("text")));
  }

  /** Parses one flat JSON object; string fields kept, numbers, booleans and null skipped. */
  private static final class FlatJsonParser {
    private final String s;
    private int i;

    FlatJsonParser(String s) {
      this.s = s;
    }

    /** The string fields, or null if the text is not one flat JSON object. */
    Map<String, String> parse() {
      Map<String, String> fields = new HashMap<>();
      try {
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
          i++;
        } else {
          while (true) {
            skipSpace();
            String name = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (peek() == '"') {
              fields.put(name, string());
            } else {
              scalar();
            }
            skipSpace();
            char c = next();
            if (c == '}') {
              break;
            }
            if (c != ',') {
              return null;
            }
          }
        }
        skipSpace();
        return i == s.length() ? fields : null;
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        return null;
      }
    }

    private void scalar() {
      int start = i;
      while (i < s.length() && "+-.0123456789eEtrufalsn".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      String token = s.substring(start, i);
      if (token.isEmpty()
          || (!token.matches("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?")
              && !token.equals("true")
              && !token.equals("false")
              && !token.equals("null"))) {
        throw new IllegalArgumentException("not a scalar: " + token);
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          throw new IllegalArgumentException("control character in a string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw new IllegalArgumentException("bad escape \\" + e);
        }
      }
    }

    private void skipSpace() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
    }

    private char peek() {
      return s.charAt(i);
    }

    private char next() {
      return s.charAt(i++);
    }

    private void expect(char c) {
      if (next() != c) {
        throw new IllegalArgumentException("expected " + c);
      }
    }
  }
}

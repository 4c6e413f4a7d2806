package dev.ixws.cli;

import java.util.HashMap;
import java.util.Map;

/** A reader of one flat JSON object, enough for the chat and file-transfer messages. */
final class FlatJson {
  private final String s;
  private int i;

  private FlatJson(String s) {
    this.s = s;
  }

  /**
   * The fields of the one flat JSON object {@code json}: strings as {@link String}, integers as
   * {@link Long}, other numbers as {@link Double}, booleans as {@link Boolean}; null fields are
   * left out. Null if {@code json} is not one JSON object without nested values.
   */
  static Map<String, Object> parse(String json) {
    return new FlatJson(json).object();
  }

  private Map<String, Object> object() {
    Map<String, Object> fields = new HashMap<>();
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
            Object value = scalar();
            if (value != null) {
              fields.put(name, value);
            }
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

  private Object scalar() {
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
    return switch (token) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      case "null" -> null;
      default ->
          token.matches("-?\\d{1,18}") ? (Object) Long.parseLong(token) : Double.parseDouble(token);
    };
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

package dev.ixws.cli;

import java.util.Locale;

/**
 * A tiny writer of one flat-or-nested JSON object, enough for the bench report: fields are written
 * in the order they are added. Numbers are written in the root locale, never as NaN or Infinity.
 */
final class JsonObject {

  private final StringBuilder out = new StringBuilder("{");
  private boolean first = true;

  void field(String name, String value) {
    name(name);
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
  }

  void field(String name, long value) {
    name(name);
    out.append(value);
  }

  void field(String name, boolean value) {
    name(name);
    out.append(value);
  }

  /** A decimal number with {@code decimals} digits after the point; 0 if not finite. */
  void field(String name, double value, int decimals) {
    name(name);
    out.append(
        String.format(Locale.ROOT, "%." + decimals + "f", Double.isFinite(value) ? value : 0));
  }

  void field(String name, JsonObject value) {
    name(name);
    out.append(value);
  }

  private void name(String name) {
    if (!first) {
      out.append(',');
    }
    first = false;
    string(name);
    out.append(':');
  }

  private void string(String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** The object's text. */
  @Override
  public String toString() {
    return out + "}";
  }
}

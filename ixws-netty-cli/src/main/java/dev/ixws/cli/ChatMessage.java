package dev.ixws.cli;

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
    Map<String, Object> fields = FlatJson.parse(json);
    if (fields == null
        || !(fields.get("user") instanceof String name)
        || !(fields.get("text") instanceof String text)) {
      return Optional.empty();
    }
    return Optional.of(new ChatMessage(name, text));
  }
}

package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonObjectTest {

  @Test
  void writesFieldsInOrderWithEscapedStringsAndFixedDecimals() {
    JsonObject inner = new JsonObject();
    inner.field("p50", 12.345, 1);
    JsonObject json = new JsonObject();
    json.field("url", "ws://h/\"q\"\\\n\u0001");
    json.field("n", 42L);
    json.field("ok", true);
    json.field("none", (String) null);
    json.field("rate", Double.NaN, 2);
    json.field("latency", inner);

    assertEquals(
        "{\"url\":\"ws://h/\\\"q\\\"\\\\\\n\\u0001\",\"n\":42,\"ok\":true,\"none\":null,"
            + "\"rate\":0.00,\"latency\":{\"p50\":12.3}}",
        json.toString());
  }
}

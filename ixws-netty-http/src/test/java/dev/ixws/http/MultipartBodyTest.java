package dev.ixws.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MultipartBodyTest {

  @Test
  void bodyHasFilePartsThenFieldsWithTheGivenBoundary() {
    try (HttpClient client = new HttpClient()) {
      byte[] body =
          client.serializeHttpFormDataParameters(
              "XyZ",
              new HttpFormDataParameters().put("f", "data"),
              new HttpParameters().put("a", "1"));
      assertEquals(
          "--XyZ\r\n"
              + "Content-Disposition: form-data; name=\"f\"; filename=\"f\"\r\n"
              + "Content-Type: application/octet-stream\r\n\r\n"
              + "data\r\n"
              + "--XyZ\r\n"
              + "Content-Disposition: form-data; name=\"a\"\r\n"
              + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
              + "1\r\n"
              + "--XyZ--\r\n",
          new String(body, StandardCharsets.UTF_8));
    }
  }

  @Test
  void invalidBoundariesAndNamesAreRefused() {
    try (HttpClient client = new HttpClient()) {
      HttpFormDataParameters none = new HttpFormDataParameters();
      HttpParameters fields = new HttpParameters();
      assertThrows(
          IllegalArgumentException.class,
          () -> client.serializeHttpFormDataParameters("", none, fields));
      assertThrows(
          IllegalArgumentException.class,
          () -> client.serializeHttpFormDataParameters("a b\r\n", none, fields));
      assertThrows(IllegalArgumentException.class, () -> none.put("bad\"name", "x"));
    }
  }

  @Test
  void postSendsTheMultipartContentTypeWithTheArgsBoundary() throws Exception {
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (HttpClient client = new HttpClient();
        ScriptedServer server =
            new ScriptedServer(
                conn -> {
                  seen.add(conn.readRequest());
                  conn.write(ScriptedServer.ok("ok"));
                  conn.awaitClose();
                })) {
      HttpRequestArgs args =
          client
              .createRequest()
              .setMultipartBoundary("b0undary")
              .setExtraHeaders(java.util.Map.of("Content-Type", "text/plain"));
      HttpResponse response =
          client.post(
              server.url("/up"),
              new HttpParameters(),
              new HttpFormDataParameters().put("f", "x"),
              args);
      assertEquals(200, response.statusCode(), response.toString());
      ScriptedServer.Request request = seen.poll(5, TimeUnit.SECONDS);
      assertEquals("multipart/form-data; boundary=b0undary", request.header("Content-Type"));
      assertTrue(request.bodyText().endsWith("--b0undary--\r\n"), request.bodyText());
      assertEquals("text/plain", args.getExtraHeaders().get("Content-Type"), "args unchanged");
    }
  }
}

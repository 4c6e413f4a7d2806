package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketInitResult;
import dev.ixws.client.WebSocket;
import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawHttpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our client against our server, negotiating subprotocols both ways. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubprotocolNegotiationTest {

  private static WebSocketInitResult connect(int port, List<String> offered) {
    WebSocket client = new WebSocket();
    client.setUrl("ws://127.0.0.1:" + port + "/");
    offered.forEach(client::addSubprotocol);
    WebSocketInitResult result = client.connect(5);
    client.stop();
    return result;
  }

  @Test
  void serverAnswersTheFirstOfferedSubprotocolItSupports() {
    WebSocketServer server = new WebSocketServer(0);
    server.addSubprotocol("v3");
    server.addSubprotocol("v2");
    assertTrue(server.listen().ok());
    server.start();
    try {
      WebSocketInitResult result = connect(server.getPort(), List.of("v1", "v2", "v3"));
      assertTrue(result.success(), result.errorStr());
      assertEquals("v2", result.protocol());
    } finally {
      server.stop();
    }
  }

  @Test
  void clientOpensWithNoProtocolWhenTheServerPicksNoneAsIxDoes() {
    WebSocketServer server = new WebSocketServer(0);
    assertTrue(server.listen().ok());
    server.start();
    try {
      WebSocketInitResult result = connect(server.getPort(), List.of("chat"));
      assertTrue(result.success(), result.errorStr());
      assertEquals("", result.protocol());
    } finally {
      server.stop();
    }
  }

  @Test
  void clientFailsWhenTheServerPicksAProtocolItDidNotOffer() throws Exception {
    try (RawHttpServer raw = new RawHttpServer()) {
      Thread answer =
          new Thread(
              () -> {
                try (RawConnection connection = raw.accept(Duration.ofSeconds(5))) {
                  HttpHead request = connection.readHead();
                  String key = request.header("Sec-WebSocket-Key");
                  connection.write(
                      RawHttpServer.switchingProtocols(key, "Sec-WebSocket-Protocol: other"));
                  connection.awaitPeerClose(Duration.ofSeconds(5));
                } catch (IOException e) {
                  // the client hung up: nothing more to answer
                }
              });
      answer.start();
      WebSocketInitResult result = connect(raw.port(), List.of("chat"));
      assertFalse(result.success());
      assertEquals(101, result.httpStatus());
      assertTrue(
          result.errorStr().contains("Sec-WebSocket-Protocol is 'other'"), result.errorStr());
      answer.join(5000);
    }
  }
}

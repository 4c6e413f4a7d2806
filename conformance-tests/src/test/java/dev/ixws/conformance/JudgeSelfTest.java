package dev.ixws.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawHttpServer;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that the judge fails what it must: each test plays a misbehaving server by hand and checks
 * that the case built to catch it comes out FAILED.
 */
@Timeout(20)
class JudgeSelfTest {

  /** How a fake server answers once the handshake is done. */
  @FunctionalInterface
  private interface Behaviour {
    void answer(RawConnection connection) throws IOException;
  }

  private static CaseResult runAgainst(String caseId, Behaviour behaviour) throws Exception {
    WireCase c =
        Cases.all(Role.SERVER).stream()
            .filter(x -> x.id().equals(caseId))
            .findFirst()
            .orElseThrow();
    try (RawHttpServer fake = new RawHttpServer()) {
      CompletableFuture<Void> served =
          CompletableFuture.runAsync(
              () -> {
                try (RawConnection connection = fake.accept(Duration.ofSeconds(5))) {
                  HttpHead request = connection.readHead();
                  connection.write(
                      RawHttpServer.switchingProtocols(request.header("Sec-WebSocket-Key")));
                  behaviour.answer(connection);
                } catch (IOException e) {
                  // the case may hang up first
                }
              });
      CaseResult result;
      try (RawWebSocketClient client = RawWebSocketClient.open(fake.port(), "/")) {
        result = c.runOn(new Peer(client, Role.SERVER), Role.SERVER);
      }
      served.get(10, TimeUnit.SECONDS);
      return result;
    }
  }

  @Test
  void textEchoedAsBinaryFails() throws Exception {
    CaseResult result =
        runAgainst(
            "1.1.2",
            connection -> {
              WsFrame text = connection.readFrame();
              connection.writeFrame(WsFrame.binary(text.payload(), false));
              connection.readUntilClose();
            });

    assertEquals(Verdict.FAILED, result.verdict(), result.observed());
    assertTrue(result.observed().contains("got binary("), result.observed());
  }

  @Test
  void reservedBitsAnsweredWithNormalCloseFails() throws Exception {
    CaseResult result =
        runAgainst(
            "3.1",
            connection -> {
              connection.readFrame();
              connection.writeFrame(WsFrame.close(1000, "", false));
            });

    assertEquals(Verdict.FAILED, result.verdict(), result.observed());
    assertTrue(result.observed().contains("expected 1002"), result.observed());
  }

  @Test
  void maskedFrameFromServerFails() throws Exception {
    CaseResult result =
        runAgainst(
            "2.2",
            connection -> {
              WsFrame ping = connection.readFrame();
              connection.writeFrame(new WsFrame(true, 0, WsFrame.OP_PONG, true, ping.payload()));
              WsFrame close = connection.readUntilClose();
              connection.writeFrame(WsFrame.close(close.closeCode(), "", false));
            });

    assertEquals(Verdict.FAILED, result.verdict(), result.observed());
    assertTrue(result.observed().contains("was masked"), result.observed());
  }

  @Test
  void serverThatKeepsTcpOpenAfterTheCloseHandshakeFails() throws Exception {
    CaseResult result =
        runAgainst(
            "7.3.3",
            connection -> {
              connection.readUntilClose();
              connection.writeFrame(WsFrame.close(1000, "", false));
              // TCP stays open until the client gives up.
              connection.awaitPeerClose(Duration.ofSeconds(5));
            });

    assertEquals(Verdict.FAILED, result.verdict(), result.observed());
    assertTrue(result.observed().contains("did not close TCP"), result.observed());
  }

  /** How a fake client behaves once it has read the response to its handshake. */
  @FunctionalInterface
  private interface ClientBehaviour {
    void play(RawConnection connection) throws IOException;
  }

  /** Runs client-role case {@code caseId} as the fuzzing server does, against a fake client. */
  private static CaseResult runClientCase(String caseId, ClientBehaviour behaviour)
      throws Exception {
    WireCase c =
        Cases.all(Role.CLIENT).stream()
            .filter(x -> x.id().equals(caseId))
            .findFirst()
            .orElseThrow();
    try (RawHttpServer server = new RawHttpServer()) {
      CompletableFuture<Void> played =
          CompletableFuture.runAsync(
              () -> {
                try (RawConnection connection =
                    new RawConnection(
                        new Socket(InetAddress.getLoopbackAddress(), server.port()))) {
                  connection.write(
                      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          + "Sec-WebSocket-Version: 13\r\n\r\n");
                  connection.readHead();
                  behaviour.play(connection);
                } catch (IOException e) {
                  // the case hangs up first
                }
              });
      CaseResult result;
      try (RawConnection connection = server.accept(Duration.ofSeconds(5))) {
        HttpHead request = connection.readHead();
        c.handshake().answer(connection, request.header("Sec-WebSocket-Key"));
        result = c.runOn(new Peer(connection, Role.CLIENT), Role.CLIENT);
      }
      played.get(10, TimeUnit.SECONDS);
      return result;
    }
  }

  @Test
  void clientThatOpensDespiteAnUnofferedExtensionFails() throws Exception {
    CaseResult result =
        runClientCase(
            "11.2.11",
            connection -> {
              WsFrame probe = connection.readFrame();
              connection.writeFrame(new WsFrame(true, 0, WsFrame.OP_TEXT, true, probe.payload()));
              connection.awaitPeerClose(Duration.ofSeconds(5));
            });

    assertEquals(Verdict.FAILED, result.verdict(), result.observed());
    assertTrue(result.observed().contains("the client opened"), result.observed());
  }

  @Test
  void clientThatFailsWithACloseFrameInsteadOfClosingTcpFails() throws Exception {
    CaseResult result =
        runClientCase(
            "11.2.4",
            connection -> {
              connection.writeFrame(WsFrame.close(1002, "", true));
              connection.awaitPeerClose(Duration.ofSeconds(5));
            });

    assertEquals(Verdict.FAILED, result.verdict(), result.observed());
    assertTrue(result.observed().contains("it sent close(1002"), result.observed());
  }

  @Test
  void clientThatWaitsForItsHandshakeTimeoutFails() throws Exception {
    CaseResult result =
        runClientCase("11.2.3", connection -> connection.awaitPeerClose(Duration.ofSeconds(8)));

    assertEquals(Verdict.FAILED, result.verdict(), result.observed());
    assertTrue(result.observed().contains("kept the connection open"), result.observed());
  }

  @Test
  void clientThatClosesTcpAtOnceIsOk() throws Exception {
    CaseResult result = runClientCase("11.2.13", RawConnection::close);

    assertEquals(Verdict.OK, result.verdict(), result.observed());
  }
}

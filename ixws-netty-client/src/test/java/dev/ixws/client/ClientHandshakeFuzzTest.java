package dev.ixws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ixws.ReadyState;
import dev.ixws.WebSocketInitResult;
import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawHttpServer;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.fuzz.CaughtExceptions;
import dev.ixws.testkit.fuzz.Fuzzing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target: the client's handling of the server's handshake response, through our public {@link
 * WebSocket} and {@code connect(timeout)} against a raw loopback server (one for all cases) that
 * reads the upgrade request and answers the fuzzed bytes, with {@code {ACCEPT}} replaced by the
 * right accept value so that valid responses can open, then half-closes. For every input the client
 * ends, within the handshake timeout, with a successful result (status 101) or a failed one with a
 * readable reason; no exception reaches a handler; the paranoid leak detector reports no leak for
 * the class. The default run is capped at {@link #CASES_PER_SECOND} cases a second of budget (a
 * loopback connection per case).
 *
 * <p>Corpus: {@code src/test/resources/dev/ixws/client/ClientHandshakeFuzzTestInputs/}.
 */
class ClientHandshakeFuzzTest {

  static final int CASES_PER_SECOND = 60;
  private static final int HANDSHAKE_TIMEOUT_SECS = 1;
  private static final Duration WAIT = Duration.ofSeconds(HANDSHAKE_TIMEOUT_SECS + 2);

  private static final CaughtExceptions CAUGHT =
      CaughtExceptions.install(
          e ->
              e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)
                  || (e.getMessage().equals("connection failed: {}")
                      && !e.getFormattedMessage().contains("IOException")
                      && !e.getFormattedMessage().contains("SocketException")),
          "dev.ixws.internal.session.WebSocketSession",
          "dev.ixws.internal.session.CallbackDispatcher",
          "dev.ixws.client");

  private static RawHttpServer server;
  private static WebSocket client;

  @Test
  void everyResponseEndsInOpenOrAFailedResultWithAReason() {
    Fuzzing.run(
        "client-handshake",
        Fuzzing.corpus(getClass(), "ClientHandshakeFuzzTestInputs/fuzzResponse"),
        CASES_PER_SECOND * Fuzzing.budget().toSeconds(),
        ClientHandshakeFuzzTest::check);
  }

  @FuzzTest
  void fuzzResponse(byte[] input) {
    // Jazzer's request-forgery detector would flag the loopback connections.
    SilentCloseable loopback =
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1"));
    try {
      check(input);
    } finally {
      loopback.close();
    }
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (client != null) {
      client.stop();
    }
    if (server != null) {
      server.close();
    }
  }

  static synchronized void check(byte[] input) {
    try {
      if (server == null) {
        server = new RawHttpServer();
        client = new WebSocket();
        client.setUrl("ws://127.0.0.1:" + server.port() + "/fuzz");
        client.addSubprotocol("chat");
        client.disableAutomaticReconnection();
        client.setOnMessageCallback(message -> {});
      }
      long start = System.nanoTime();
      CompletableFuture<WebSocketInitResult> result =
          CompletableFuture.supplyAsync(() -> client.connect(HANDSHAKE_TIMEOUT_SECS));
      try (RawConnection conn = server.accept(WAIT)) {
        HttpHead request = conn.readHead();
        String accept = RawWebSocketClient.acceptFor(request.header("Sec-WebSocket-Key"));
        conn.write(replace(input, "{ACCEPT}", accept));
        conn.shutdownOutput();
        WebSocketInitResult init = result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertNotNull(init, "no result");
        assertTrue(
            tookMillis <= HANDSHAKE_TIMEOUT_SECS * 1000L + 1000,
            "took " + tookMillis + " ms, over the handshake timeout");
        if (init.success()) {
          assertEquals(101, init.httpStatus(), "a success is a 101");
        } else {
          String reason = init.errorStr();
          // Netty's handshaker words some reasons itself ("Invalid handshake response upgrade:
          // null" for a missing Upgrade header): readable, if terse.
          assertTrue(reason != null && !reason.isBlank(), "a failure without a reason");
        }
      }
      // Our side is gone: the client ends, and is ready for the next case.
      client.stop();
      assertEquals(ReadyState.CLOSED, client.getReadyState(), "the client after stop()");
      List<String> caught = CAUGHT.drain();
      assertTrue(caught.isEmpty(), "an exception reached a handler: " + caught);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] replace(byte[] input, String token, String value) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    return text.replace(token, value).getBytes(StandardCharsets.ISO_8859_1);
  }
}

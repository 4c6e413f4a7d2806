package dev.ixws.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.internal.transport.EventLoops;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The connect timeout and the pool's wait really fire; blocking calls refuse event loops. */
class HttpClientTimeoutsTest {

  @Test
  void connectTimeoutFiresWhenTheServerNeverCompletesTheHandshake() throws Exception {
    // A listening socket that never accepts, its accept queue filled: Linux drops further SYNs,
    // so a connect neither succeeds nor fails until its timeout.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        HttpClient client = new HttpClient()) {
      List<Socket> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Socket filler = new Socket();
          try {
            filler.connect(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
            fillers.add(filler);
          } catch (java.net.SocketTimeoutException e) {
            filler.close();
            break; // the queue is full
          }
        }
        HttpRequestArgs args = client.createRequest().setConnectTimeout(1);
        long start = System.nanoTime();
        HttpResponse response = client.get("http://127.0.0.1:" + full.getLocalPort() + "/", args);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(HttpErrorCode.CANNOT_CONNECT, response.errorCode(), response.toString());
        assertTrue(response.errorMsg().contains("timed out after 1000 ms"), response.errorMsg());
        assertTrue(millis >= 900 && millis < 5000, "gave up after " + millis + " ms");
      } finally {
        for (Socket filler : fillers) {
          filler.close();
        }
      }
    }
  }

  @Test
  void requestWaitingForABusyHostGivesUpAtItsConnectTimeout() throws Exception {
    try (ScriptedServer server =
            new ScriptedServer(
                conn -> {
                  conn.readRequest();
                  conn.awaitClose();
                });
        HttpClient client = new HttpClient(true)) {
      client.setMaxConnectionsPerHost(1);
      HttpRequestArgs busyArgs =
          client.createRequest(server.url("/busy"), HttpClient.GET).setTransferTimeout(5);
      var busy = client.performRequestAsync(busyArgs);
      HttpResponse waiting =
          client.get(server.url("/waiting"), client.createRequest().setConnectTimeout(1));
      assertEquals(HttpErrorCode.CANNOT_CONNECT, waiting.errorCode(), waiting.toString());
      assertTrue(waiting.errorMsg().contains("at most 1 per host"), waiting.errorMsg());
      busyArgs.cancel();
      assertEquals(HttpErrorCode.CANCELLED, busy.get(10, TimeUnit.SECONDS).errorCode());
    }
  }

  @Test
  void synchronousRequestOnAnEventLoopThrows() throws Exception {
    try (HttpClient client = new HttpClient()) {
      ExecutionException thrown =
          assertThrows(
              ExecutionException.class,
              () ->
                  EventLoops.next()
                      .submit(() -> client.get("http://127.0.0.1:1/", client.createRequest()))
                      .get(5, TimeUnit.SECONDS));
      assertTrue(thrown.getCause() instanceof IllegalStateException, thrown.toString());
    }
  }

  @Test
  void closedClientRefusesNewRequests() {
    HttpClient client = new HttpClient();
    client.close();
    HttpResponse response = client.get("http://127.0.0.1:1/", client.createRequest());
    assertEquals(HttpErrorCode.CANNOT_CONNECT, response.errorCode());
    assertTrue(response.errorMsg().contains("closed"), response.errorMsg());
  }
}

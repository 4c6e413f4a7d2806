package dev.ixws.conformance;

import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The judging half of the cases, with Autobahn's rules: the data events seen must be exactly the
 * expected ones, the close code must be one the RFC requires (OK) or allows (NON-STRICT), and the
 * server must close TCP after the closing handshake.
 */
final class Judge {

  private Judge() {}

  /**
   * Acceptable close codes; -1 stands for a close frame with an empty body.
   *
   * @param ok the codes the RFC requires
   * @param nonStrict codes that are tolerated
   */
  record Codes(Set<Integer> ok, Set<Integer> nonStrict) {
    static Codes of(int... codes) {
      Set<Integer> ok = new java.util.TreeSet<>();
      for (int code : codes) {
        ok.add(code);
      }
      return new Codes(ok, Set.of());
    }

    Codes orNonStrict(int... codes) {
      Set<Integer> tolerated = new java.util.TreeSet<>();
      for (int code : codes) {
        tolerated.add(code);
      }
      return new Codes(ok, tolerated);
    }

    @Override
    public String toString() {
      String okText = ok.size() == 1 ? show(ok.iterator().next()) : ok.toString();
      return nonStrict.isEmpty() ? okText : okText + " (" + nonStrict + " tolerated)";
    }

    static String show(int code) {
      return code == -1 ? "an empty close" : String.valueOf(code);
    }
  }

  /**
   * Reads exactly {@code expected} data events (messages, pongs), then closes normally: the
   * implementation must answer close 1000, send nothing else, and the server must close TCP.
   */
  static Outcome echo(Peer peer, List<WireEvent> expected, Duration timeout) throws IOException {
    List<WireEvent> got = new ArrayList<>();
    while (got.size() < expected.size()) {
      WireEvent event = peer.next(timeout);
      if (!event.isData()) {
        return Outcome.failed(
            "expected " + summary(expected) + ", got " + summary(got) + " then " + event);
      }
      got.add(event);
    }
    if (!got.equals(expected)) {
      return Outcome.failed("expected " + summary(expected) + ", got " + summary(got));
    }
    String echoed = expected.isEmpty() ? "nothing echoed" : "got " + summary(got);
    return closeNormally(peer, echoed, timeout);
  }

  /** Sends close 1000 and expects close 1000 back, nothing else, then TCP closed by the server. */
  static Outcome closeNormally(Peer peer, String sofar, Duration timeout) throws IOException {
    peer.send(WsFrame.close(1000, "", false));
    return awaitClose(peer, List.of(), Codes.of(1000), true, timeout).prefixed(sofar);
  }

  /**
   * Reads until the implementation's close frame: the data events before it must be {@code before},
   * its code one of {@code codes}. {@code weClosed} says whether the peer sent a close first
   * (otherwise the implementation is failing the connection and the peer answers its close).
   */
  static Outcome awaitClose(
      Peer peer, List<WireEvent> before, Codes codes, boolean weClosed, Duration timeout)
      throws IOException {
    Ending ending = readToClose(peer, timeout);
    if (!ending.data().equals(before)) {
      return Outcome.failed(
          "expected "
              + (before.isEmpty() ? "nothing" : summary(before))
              + " before the close, "
              + ending);
    }
    return judgeClose(peer, ending, codes, weClosed, timeout);
  }

  /**
   * What the implementation sent until it closed.
   *
   * @param data the data events before the end
   * @param end the close frame, the end of TCP, or a timeout
   */
  record Ending(List<WireEvent> data, WireEvent end) {
    String prefix() {
      return data.isEmpty() ? "" : "got " + summary(data) + ", then ";
    }

    @Override
    public String toString() {
      return prefix() + end;
    }
  }

  /** Reads events until one that is not data. */
  static Ending readToClose(Peer peer, Duration timeout) {
    List<WireEvent> got = new ArrayList<>();
    WireEvent event;
    while ((event = peer.next(timeout)).isData()) {
      got.add(event);
    }
    return new Ending(got, event);
  }

  /** Judges how the implementation closed; the test server answers a close it did not start. */
  static Outcome judgeClose(
      Peer peer, Ending ending, Codes codes, boolean weClosed, Duration timeout)
      throws IOException {
    WireEvent event = ending.end();
    String prefix = ending.prefix();
    Outcome outcome;
    switch (event.kind()) {
      case TIMEOUT -> {
        return Outcome.failed(prefix + "no close frame within " + timeout.toMillis() + " ms");
      }
      case TCP_CLOSED -> {
        return new Outcome(
            Verdict.NON_STRICT,
            prefix + "TCP dropped without a close frame (expected " + codes + ")");
      }
      case CLOSE -> {
        int code = event.closeCode();
        if (event.payload().length == 1) {
          outcome = Outcome.failed(prefix + "close frame with a 1-byte body");
        } else if (codes.ok().contains(code)) {
          outcome = Outcome.ok(prefix + event);
        } else if (codes.nonStrict().contains(code)) {
          outcome = new Outcome(Verdict.NON_STRICT, prefix + event + " (preferred: " + codes + ")");
        } else {
          outcome = Outcome.failed(prefix + event + ", expected " + codes);
        }
        if (!weClosed && peer.role() == Role.CLIENT) {
          // The test server answers the client's close, as a server must.
          peer.send(new WsFrame(true, 0, WsFrame.OP_CLOSE, false, event.payload()));
        }
      }
      default -> throw new AssertionError(event);
    }
    String problem = peer.finishAfterClose();
    return problem == null ? outcome : Outcome.failed(outcome.observed() + "; " + problem);
  }

  /**
   * After a broken handshake response (and a probe message the client would echo were it open): the
   * client must fail the connection at once, closing TCP without sending a single frame (RFC 6455
   * section 4.1: "the client MUST _Fail the WebSocket Connection_"; there is no WebSocket
   * connection to close, so no close frame either). An echo, a close frame, or waiting (for the
   * handshake timeout) is FAILED.
   */
  static Outcome refusedHandshake(Peer peer, Duration timeout) {
    long start = System.nanoTime();
    WireEvent event = peer.next(timeout);
    long millis = (System.nanoTime() - start) / 1_000_000;
    return switch (event.kind()) {
      case TCP_CLOSED -> Outcome.ok("connection failed without OPEN: TCP closed, no frame sent");
      case TIMEOUT ->
          Outcome.failed(
              "the client kept the connection open for "
                  + timeout.toMillis()
                  + " ms without failing it (it waits for its handshake timeout)");
      case MESSAGE ->
          Outcome.failed(
              "the client opened: it echoed the probe (" + event + ") after " + millis + " ms");
      default -> Outcome.failed("the client opened: it sent " + event + " after " + millis + " ms");
    };
  }

  /** A list of events, shortened when long. */
  static String summary(List<WireEvent> events) {
    if (events.isEmpty()) {
      return "nothing";
    }
    if (events.size() <= 4) {
      return String.join(", ", events.stream().map(WireEvent::toString).toList());
    }
    return events.size()
        + " events: "
        + events.get(0)
        + ", "
        + events.get(1)
        + " ... "
        + events.get(events.size() - 1);
  }
}

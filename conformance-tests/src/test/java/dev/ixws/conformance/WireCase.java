package dev.ixws.conformance;

import dev.ixws.testkit.RawConnection;
import java.io.IOException;
import java.time.Duration;

/**
 * One conformance case: what the raw test peer sends and how it judges what comes back. The same
 * case runs in both roles where it makes sense; the peer masks as its role requires.
 *
 * @param id Autobahn-style id ({@code 5.15})
 * @param description what is sent
 * @param expectation what the RFC requires
 * @param timeout how long each wait for the implementation may take
 * @param body the script, run against a connected {@link Peer}
 * @param handshake how the test fuzzing server answers the client's opening handshake; null for a
 *     valid {@code 101} (client role only: the test client of the server role sends a valid
 *     request)
 * @param deflate the per-message deflate terms the handshake must agree on, null for none: the test
 *     client offers its header, the test server answers with it, and the peer then holds the
 *     implementation to the terms
 */
record WireCase(
    String id,
    String description,
    String expectation,
    Duration timeout,
    Body body,
    Handshake handshake,
    DeflateTerms deflate) {

  /** A case whose handshake is the valid one. */
  WireCase(String id, String description, String expectation, Duration timeout, Body body) {
    this(id, description, expectation, timeout, body, null, null);
  }

  /** A case with its own handshake answer and no deflate. */
  WireCase(
      String id,
      String description,
      String expectation,
      Duration timeout,
      Body body,
      Handshake handshake) {
    this(id, description, expectation, timeout, body, handshake, null);
  }

  /** The fuzzing server's answer to the client's request, written by the case. */
  @FunctionalInterface
  interface Handshake {
    /** Writes the response (and whatever follows it) for a request that sent {@code key}. */
    void answer(RawConnection connection, String key) throws IOException;
  }

  /** A case's script. */
  @FunctionalInterface
  interface Body {
    Outcome run(Peer peer, Duration timeout) throws IOException;
  }

  /** Runs the case on {@code peer}: its outcome, FAILED on any RFC violation or exception. */
  CaseResult runOn(Peer peer, Role role) {
    long start = System.nanoTime();
    Outcome outcome;
    try {
      outcome = body.run(peer, timeout);
    } catch (IOException | RuntimeException e) {
      outcome = Outcome.failed("the case could not run: " + e);
    }
    if (!peer.violations().isEmpty()) {
      outcome =
          new Outcome(
              Verdict.FAILED, outcome.observed() + "; RFC violations: " + peer.violations());
    }
    if (!peer.notes().isEmpty()) {
      outcome =
          new Outcome(
              outcome.verdict(), outcome.observed() + " (" + String.join(", ", peer.notes()) + ")");
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new CaseResult(
        id, description, expectation, role, outcome.verdict(), outcome.observed(), millis);
  }
}

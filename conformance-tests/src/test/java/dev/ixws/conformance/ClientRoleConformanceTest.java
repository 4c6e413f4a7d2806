package dev.ixws.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.cli.Ixws;
import dev.ixws.cli.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The Autobahn-style suite against our {@code WebSocket} client: {@code ixws autobahn} runs
 * in-process against the test {@link FuzzingServer}, exactly as it would against Autobahn's, so the
 * command is what is tested. Each case becomes a test that fails on a FAILED verdict.
 */
class ClientRoleConformanceTest {

  private static final String AGENT = "ixws-netty";

  @AfterAll
  static void writeReport() {
    ConformanceReport.write();
  }

  @TestFactory
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  Stream<DynamicNode> clientRoleCases() throws Exception {
    List<WireCase> cases = Cases.all(Role.CLIENT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<CaseResult> results;
    List<String> agents;
    int exitCode;
    try (FuzzingServer server = new FuzzingServer(cases);
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      Terminal terminal =
          new Terminal(
              new ByteArrayInputStream(new byte[0]), StandardCharsets.UTF_8, outStream, errStream);
      String url = "ws://127.0.0.1:" + server.port();
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () ->
                  Ixws.run(
                      terminal,
                      "autobahn",
                      "--url",
                      url,
                      "--agent",
                      AGENT,
                      "--case-timeout",
                      "30"));
      exitCode = run.get(140, TimeUnit.SECONDS);
      results = server.results();
      agents = server.reportAgents();
    }
    results.forEach(ConformanceReport::add);
    String stdout = out.toString(StandardCharsets.UTF_8);
    String stderr = err.toString(StandardCharsets.UTF_8);

    List<DynamicNode> tests = new ArrayList<>();
    tests.add(
        DynamicTest.dynamicTest(
            "ixws autobahn ran every case, printed its progress and updated the reports",
            () -> {
              assertEquals(Ixws.EXIT_OK, exitCode, "stdout:\n" + stdout + "\nstderr:\n" + stderr);
              assertEquals(cases.size(), results.size(), stdout);
              assertTrue(
                  stdout.contains("case " + cases.size() + "/" + cases.size() + " done"), stdout);
              assertEquals(List.of(AGENT), agents);
            }));
    for (CaseResult result : results) {
      tests.add(
          DynamicTest.dynamicTest(
              result.id() + " " + result.description(),
              () ->
                  assertNotEquals(
                      Verdict.FAILED,
                      result.verdict(),
                      () ->
                          result.id()
                              + " "
                              + result.description()
                              + ": expected "
                              + result.expectation()
                              + "; observed "
                              + result.observed())));
    }
    return tests.stream();
  }
}

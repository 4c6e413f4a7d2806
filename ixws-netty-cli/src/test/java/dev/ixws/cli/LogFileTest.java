package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class LogFileTest {

  private static final String STAMP = "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] ";

  @TempDir Path dir;

  @Test
  void theCommandsLinesGoToTheFileTimestampedAndStdoutStaysEmpty() throws IOException {
    Path log = dir.resolve("ixws.log");

    CommandRun run = CommandRun.runToEnd("--log-file", log.toString(), "dnslookup", "localhost");

    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    assertEquals("All logs will be redirected to " + log, run.err.next());
    run.err.assertNoMoreLines();
    run.out.assertNoMoreLines();
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertTrue(
        lines.get(0).matches(STAMP + "\\[info\\] host: localhost ip: 127\\.0\\.0\\.1"),
        lines.get(0));
  }

  @Test
  void errorsGoToTheFileAndStayOnStderrAndTheFileIsAppendedTo() throws IOException {
    Path log = dir.resolve("ixws.log");
    Files.writeString(log, "earlier\n");

    // IX's spelling, after the command (the option is inherited by every command).
    CommandRun run =
        CommandRun.runToEnd("dnslookup", "no-such-host.invalid", "--logfile", log.toString());

    assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
    assertEquals("All logs will be redirected to " + log, run.err.next());
    assertEquals("Error: cannot resolve no-such-host.invalid: unknown host", run.err.next());
    run.err.assertNoMoreLines();
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertEquals(2, lines.size(), lines.toString());
    assertEquals("earlier", lines.get(0));
    assertTrue(
        lines
            .get(1)
            .matches(
                STAMP + "\\[error\\] Error: cannot resolve no-such-host\\.invalid: unknown host"),
        lines.get(1));
  }

  @Test
  void aLogFileThatCannotBeOpenedFailsWithOneLine() {
    Path log = dir.resolve("no/such/dir/ixws.log");

    CommandRun run = CommandRun.runToEnd("--log-file", log.toString(), "dnslookup", "localhost");

    assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
    assertTrue(run.err.next().startsWith("Error: cannot open the log file " + log + ": "));
    run.err.assertNoMoreLines();
    run.out.assertNoMoreLines();
  }
}

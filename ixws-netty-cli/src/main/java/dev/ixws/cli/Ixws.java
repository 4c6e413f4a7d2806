package dev.ixws.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code ixws} tool: IXWebSocket's {@code ws} command-line tool on ixws-netty. Each subcommand
 * is its own class; all of them use only the library's public API.
 *
 * <p>Exit codes: {@value #EXIT_OK} success, {@value #EXIT_FAILURE} failure (connection failed or
 * lost, port in use), {@value #EXIT_USAGE} invalid command line or URL, {@value #EXIT_INTERRUPTED}
 * interrupted.
 */
@Command(
    name = "ixws",
    mixinStandardHelpOptions = true,
    versionProvider = Ixws.Version.class,
    description = "WebSocket command-line tool (IXWebSocket's ws) built on ixws-netty.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n")
public final class Ixws implements Runnable {

  /** The command succeeded. */
  public static final int EXIT_OK = 0;

  /** The command failed: the connection failed or was closed by the peer, the port was taken... */
  public static final int EXIT_FAILURE = 1;

  /** The command line or an argument (such as a URL) is invalid; picocli uses the same code. */
  public static final int EXIT_USAGE = 2;

  /** The command was interrupted before it finished (as a shell reports SIGINT). */
  public static final int EXIT_INTERRUPTED = 130;

  @Spec private CommandSpec spec;

  @Option(
      names = {"--pid-file", "--pidfile"},
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Write the process id to FILE while the command runs (removed at the end).")
  private Path pidFile;

  @Option(
      names = {"--log-file", "--logfile"},
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "Append everything the command prints to FILE, each line timestamped (stderr still"
              + " shows errors).")
  private Path logFile;

  private Ixws() {}

  /** Runs the tool with the process's streams and exits with the command's exit code. */
  public static void main(String[] args) {
    System.exit(run(Terminal.system(), args));
  }

  /**
   * Runs {@code args} as one {@code ixws} command line against {@code terminal} and returns its
   * exit code; blocks until the command is done and all its output is written. Help and usage
   * errors are printed on the terminal's streams too. The commands print through a queue that a
   * thread of its own writes out, so a slow terminal never stalls a connection.
   */
  public static int run(Terminal terminal, String... args) {
    // The commands print from connection callbacks: printing must never wait on the terminal.
    try (AsyncPrintStream out = new AsyncPrintStream(terminal.out(), "ixws-stdout");
        AsyncPrintStream err = new AsyncPrintStream(terminal.err(), "ixws-stderr")) {
      Terminal nonBlocking = new Terminal(terminal.in(), terminal.inCharset(), out, err);
      return commandLine(nonBlocking).execute(args);
    }
  }

  /** The command tree, every command bound to {@code terminal}. */
  static CommandLine commandLine(Terminal terminal) {
    Ixws root = new Ixws();
    CommandLine commandLine =
        new CommandLine(root)
            .addSubcommand(new CommandLine.HelpCommand())
            .addSubcommand(new EchoServerCommand(terminal))
            .addSubcommand(new BroadcastServerCommand(terminal))
            .addSubcommand(new PushServerCommand(terminal))
            .addSubcommand(new ProxyServerCommand(terminal))
            .addSubcommand(new ConnectCommand(terminal))
            .addSubcommand(new AutorouteCommand(terminal))
            .addSubcommand(new PingCommand(terminal))
            .addSubcommand(new ChatCommand(terminal))
            .addSubcommand(new TransferCommand(terminal))
            .addSubcommand(new SendCommand(terminal))
            .addSubcommand(new ReceiveCommand(terminal))
            .addSubcommand(new AutobahnCommand(terminal))
            .addSubcommand(new CurlCommand(terminal))
            .addSubcommand(new HttpdCommand(terminal))
            .addSubcommand(new DnsLookupCommand(terminal))
            .addSubcommand(new GzipCommand(terminal))
            .addSubcommand(new GunzipCommand(terminal))
            .addSubcommand(new BenchCommand(terminal));
    // One line per command in the list: picocli's own help command has a long description.
    commandLine
        .getSubcommands()
        .get("help")
        .getCommandSpec()
        .usageMessage()
        .header("Show the help of a command.");
    commandLine.setExecutionStrategy(parseResult -> root.withLogFile(terminal, parseResult));
    commandLine.setOut(new PrintWriter(terminal.out(), true));
    commandLine.setErr(new PrintWriter(terminal.err(), true));
    // A failure the command did not turn into an exit code is reported in one line, not a trace.
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          terminal.err().println("ixws " + cmd.getCommandName() + ": " + e);
          return EXIT_FAILURE;
        });
    return commandLine;
  }

  /**
   * Runs the command, its output going to {@code --log-file} if one was given (IX's {@code
   * --logfile}): stdout's lines as {@code [info]}, stderr's as {@code [error]} (still shown on
   * stderr too), and, when the tool runs on the process's own stderr, the library's log lines.
   */
  private int withLogFile(Terminal terminal, CommandLine.ParseResult parseResult) {
    if (logFile == null
        || !(terminal.out() instanceof AsyncPrintStream out)
        || !(terminal.err() instanceof AsyncPrintStream err)) {
      return withPidFile(terminal, parseResult);
    }
    LogFile log;
    try {
      log = LogFile.open(logFile);
    } catch (IOException e) {
      terminal.err().println("Error: cannot open the log file " + logFile + ": " + e);
      return EXIT_FAILURE;
    }
    terminal.err().println("All logs will be redirected to " + logFile);
    PrintStream originalOut = out.redirect(log.lines("info"));
    PrintStream originalErr = err.redirect(log.linesAlsoTo("error", err.target()));
    // The library logs (SLF4J to logback's console appender) to whatever System.err is.
    PrintStream systemErr = System.err;
    boolean libraryLogs = originalErr == systemErr;
    if (libraryLogs) {
      System.setErr(log.linesAlsoTo("error", systemErr));
    }
    try {
      return withPidFile(terminal, parseResult);
    } finally {
      if (libraryLogs) {
        System.setErr(systemErr);
      }
      out.redirect(originalOut);
      err.redirect(originalErr);
      out.awaitWritten();
      err.awaitWritten();
      try {
        log.close();
      } catch (IOException e) {
        systemErr.println("Error: cannot close the log file " + logFile + ": " + e.getMessage());
      }
    }
  }

  /** Runs the command, with its pid in {@code --pid-file} while it runs if one was given. */
  private int withPidFile(Terminal terminal, CommandLine.ParseResult parseResult) {
    if (pidFile == null) {
      return new CommandLine.RunLast().execute(parseResult);
    }
    try {
      Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      terminal.err().println("Error: cannot write the pid file " + pidFile + ": " + e.getMessage());
      return EXIT_FAILURE;
    }
    try {
      return new CommandLine.RunLast().execute(parseResult);
    } finally {
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        terminal
            .err()
            .println("Error: cannot remove the pid file " + pidFile + ": " + e.getMessage());
      }
    }
  }

  /** Without a command: a usage error; picocli prints the message and the usage on stderr. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  /** The tool's version, from the build. */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = Ixws.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "unknown");
  }

  /** Supplies {@code --version}: the tool's and the Java runtime's versions. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "ixws " + version(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}

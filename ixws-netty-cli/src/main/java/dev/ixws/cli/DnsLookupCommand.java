package dev.ixws.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ixws dnslookup HOST}: IX's {@code ws dnslookup}. Resolves {@code HOST} with the system
 * resolver (the one the library's connections use) and prints {@code host: HOST ip: ADDRESS}, IX's
 * line, for every address, in the order the resolver gives them (IX prints only the first, and
 * prints IPv6 addresses wrongly). A name that does not resolve exits with {@link Ixws#EXIT_FAILURE}
 * and one line on stderr.
 */
@Command(
    name = "dnslookup",
    header = "Resolve a host name, print its addresses.",
    mixinStandardHelpOptions = true,
    description = "Resolve HOST and print each of its addresses.")
final class DnsLookupCommand implements Callable<Integer> {

  private final Terminal terminal;

  @Parameters(paramLabel = "HOST", description = "The host name (or address) to resolve.")
  private String host;

  DnsLookupCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      terminal.err().println("Error: cannot resolve " + host + ": unknown host");
      return Ixws.EXIT_FAILURE;
    }
    for (InetAddress address : addresses) {
      terminal.out().println("host: " + host + " ip: " + address.getHostAddress());
    }
    return Ixws.EXIT_OK;
  }
}

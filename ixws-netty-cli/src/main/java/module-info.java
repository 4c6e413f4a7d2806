/**
 * The {@code ixws} command-line tool. As a module it proves, at compile time, that the tool uses
 * only the library's exported API: the {@code internal} packages and Netty are not readable here.
 */
// HdrHistogram has no module descriptor: requiring it by its jar name is deliberate.
@SuppressWarnings("requires-automatic")
module dev.ixws.cli {
  requires dev.ixws.server;
  requires dev.ixws.http;
  requires info.picocli;
  // bench's latency histograms.
  requires HdrHistogram;

  // picocli sets the annotated option fields by reflection.
  opens dev.ixws.cli to
      info.picocli;
}

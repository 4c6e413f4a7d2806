/** The {@code ixws} command-line tool; one picocli class per command, public API only. */
package dev.ixws.cli;

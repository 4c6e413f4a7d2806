/** The usage guide's examples in Java; each is compiled and run by this module's tests. */
package dev.ixws.examples;

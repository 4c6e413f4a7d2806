/**
 * Test helpers that are Netty types themselves (an allocator that tracks every buffer), kept out of
 * the testkit's public packages, which show only JDK types and ours.
 */
package dev.ixws.testkit.internal;

/**
 * Per-message deflate (RFC 7692): negotiating its parameters in both roles ({@link
 * dev.ixws.internal.deflate.DeflateOffer}, {@link dev.ixws.internal.deflate.DeflateNegotiation}),
 * compressing outgoing messages ({@link dev.ixws.internal.deflate.MessageDeflater}) and inflating
 * incoming ones as their bytes arrive ({@link dev.ixws.internal.deflate.MessageInflater}, driven by
 * the frame reader). Internal: for the sibling modules only.
 */
package dev.ixws.internal.deflate;

/**
 * What a connection tells whoever drives many of them, so that the driver never scans them all:
 * its deadline moved, it may have a datagram to send, it has events, it closed.
 *
 * @module
 */

/**
 * Told by a `Connection` at the end of the input that caused it. Each call is cheap bookkeeping
 * (a heap or queue update); a listener must not call back into the connection.
 */
export interface ConnectionListener {
  /** The earliest deadline changed; read it with `pollTimeout()` (null: none). */
  onDeadline(): void;
  /** An input may have given it something to send now: poll its transmit. */
  onTransmitReady(): void;
  /** Its event queue went from empty to not empty. */
  onEvents(): void;
  /** It closed: nothing more to send and no deadline. Its events (`closed` last) remain. */
  onClosed(): void;
}

/** A listener that hears nothing: for a connection driven on its own (`ClientConnection`). */
export const IGNORING_LISTENER: ConnectionListener = {
  onDeadline() {},
  onTransmitReady() {},
  onEvents() {},
  onClosed() {},
};

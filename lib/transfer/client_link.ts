/**
 * One client transfer on the wire: a UDP socket of its own, a `ClientConnection`, and the
 * driver between them.
 * @module
 */

import { ClientConnection, type ClientOptions } from "../rudp/client_connection.ts";
import type { TransferEvent } from "../rudp/connection/events.ts";
import { localDatagramBound } from "../net/interface_mtu.ts";
import { CLIENT_RECEIVE_BUFFER_BYTES, raiseReceiveBuffer } from "../net/receive_buffer.ts";
import { addressKey, type DatagramMachine, UdpDriver } from "../net/udp_driver.ts";

/**
 * Runs a {@linkcode ClientConnection} against the server's UDP address. Events are handed to
 * `onEvent` in order; `closed` is the last, after which the socket is closed. `settled` comes
 * first when the transfer completed and the server closed it: the file can be finished (and a
 * one-shot command can exit) without waiting out the drain, some 3 PTOs.
 */
export class ClientLink {
  readonly connection: ClientConnection;
  readonly #driver: UdpDriver;
  readonly #onEvent: (event: TransferEvent) => void;
  readonly ended: Promise<void>;
  /** Resolves when the outcome is final (see {@linkcode ClientConnection.settled}). */
  readonly settled: Promise<void>;
  #end!: () => void;
  #settle!: () => void;

  /** Opens a socket and starts the handshake with `server` at once. */
  constructor(
    server: Deno.NetAddr,
    options: Omit<ClientOptions, "random">,
    onEvent: (event: TransferEvent) => void,
  ) {
    this.ended = new Promise((resolve) => this.#end = resolve);
    this.settled = new Promise((resolve) => this.#settle = resolve);
    this.#onEvent = onEvent;
    const now = performance.now();
    const hostname = server.hostname.includes(":") ? "::" : "0.0.0.0";
    const socket = Deno.listenDatagram({ hostname, port: 0, transport: "udp" });
    const receiveBufferBytes = raiseReceiveBuffer(socket, CLIENT_RECEIVE_BUFFER_BYTES);
    this.connection = new ClientConnection({
      ...options,
      ...(receiveBufferBytes === null ? {} : { receiveBufferBytes }),
      random: (b) => crypto.getRandomValues(b),
      interfaceDatagramBytes: localDatagramBound(hostname, server.hostname),
    }, now);
    this.#driver = new UdpDriver(socket, adapt(this.connection, addressKey(server)), {
      onActivity: () => this.#drain(),
    });
    this.#driver.wake();
  }

  /** Closes the connection (telling the server) and then the socket. */
  close(reason: string): void {
    this.connection.close(performance.now(), reason);
    this.#driver.wake();
  }

  #drain(): void {
    for (
      let event = this.connection.pollEvent();
      event !== null;
      event = this.connection.pollEvent()
    ) {
      this.#onEvent(event);
      if (event.kind === "closed") {
        this.#settle();
        this.#driver.close().then(this.#end);
        return;
      }
    }
    if (this.connection.settled) this.#settle();
  }
}

function adapt(connection: ClientConnection, server: string): DatagramMachine {
  return {
    handleDatagram: (now, bytes, from) => connection.handleDatagram(now, bytes, from),
    handleTimeout: (now) => connection.handleTimeout(now),
    pollTransmit: (now, into) => {
      const bytes = connection.pollTransmit(now, into);
      return bytes === null ? null : { to: server, bytes };
    },
    pollTimeout: () => connection.pollTimeout(),
  };
}

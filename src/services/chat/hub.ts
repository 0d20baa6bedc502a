/**
 * The in-process fan-out of the chat's events to the WebSockets of the professionals connected to this
 * process. It carries notifications only (which room, which message number), never a message's text: the
 * client fetches what it has not seen through the REST API, where membership and the patient's access policy
 * are checked and audited. Several processes behind a load balancer are safe because the client also
 * refetches on every (re)connection and periodically (docs/chat.md#several-processes).
 */

export type ChatEvent =
  | { type: 'ready' }
  | { type: 'message'; roomId: string; seq: number; authorId: string; sentAt: string }
  | { type: 'room'; roomId: string }
  | { type: 'read'; roomId: string; lastReadSeq: number };

/** What the hub needs of a connection (a ws WebSocket has it). */
export interface ChatConnection {
  send(data: string): void;
  readonly readyState: number;
}

const OPEN = 1;

export class ChatHub {
  private readonly byPractitioner = new Map<string, Set<ChatConnection>>();

  /** Registers a connection of this professional; returns what unregisters it. */
  add(practitionerId: string, connection: ChatConnection): () => void {
    let set = this.byPractitioner.get(practitionerId);
    if (!set) this.byPractitioner.set(practitionerId, (set = new Set()));
    set.add(connection);
    return () => {
      set.delete(connection);
      if (set.size === 0 && this.byPractitioner.get(practitionerId) === set) this.byPractitioner.delete(practitionerId);
    };
  }

  /** Sends the event to every open connection of these professionals; returns how many it reached. */
  publish(practitionerIds: readonly string[], event: ChatEvent): number {
    const data = JSON.stringify(event);
    let sent = 0;
    for (const id of new Set(practitionerIds)) {
      for (const c of this.byPractitioner.get(id) ?? []) {
        if (c.readyState !== OPEN) continue;
        try {
          c.send(data);
          sent++;
        } catch {
          // a connection closing under us: its close handler unregisters it
        }
      }
    }
    return sent;
  }

  /** Open connections, for tests and metrics. */
  size(): number {
    let n = 0;
    for (const set of this.byPractitioner.values()) n += set.size;
    return n;
  }
}

import WebSocket from 'ws';
import type { TestCarnet } from './carnet.js';

/**
 * A real WebSocket client of the chat (the `ws` package) for the API tests: gets a ticket with the
 * professional's token, connects, and collects the server's events for `next`/`waitFor`.
 */
export interface ChatEvent {
  type: string;
  roomId?: string;
  seq?: number;
  authorId?: string;
  lastReadSeq?: number;
}

export class ChatSocket {
  readonly events: ChatEvent[] = [];
  private waiters: { test: (e: ChatEvent) => boolean; resolve: (e: ChatEvent) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const event = JSON.parse(data.toString()) as ChatEvent;
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(event)) return true;
        w.resolve(event);
        return false;
      });
    });
  }

  /** Opens a socket with this ticket; resolves once the server said it is ready. */
  static open(tc: TestCarnet, ticket: string): Promise<ChatSocket> {
    const ws = new WebSocket(`${tc.baseUrl.replace(/^http/, 'ws')}/api/chat/socket?ticket=${encodeURIComponent(ticket)}`);
    const socket = new ChatSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
      socket.waitFor((e) => e.type === 'ready').then(() => resolve(socket), reject);
    });
  }

  /** A ticket for this token, then a socket with it. */
  static async connect(tc: TestCarnet, token: string): Promise<ChatSocket> {
    return ChatSocket.open(tc, await ticketFor(tc, token));
  }

  /** The first event (already received or to come) that passes the test; fails after `ms`. */
  waitFor(test: (e: ChatEvent) => boolean, ms = 5000): Promise<ChatEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such chat event within ${ms} ms; got ${JSON.stringify(this.events)}`)), ms);
      this.waiters.push({
        test,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

export async function ticketFor(tc: TestCarnet, token: string): Promise<string> {
  const res = await tc.request('POST', '/api/chat/ticket', { token });
  if (res.status !== 200) throw new Error(`ticket: ${res.status} ${await res.text()}`);
  return (await res.json()).ticket;
}

import { useEffect, useRef, useState } from 'react';
import { chatTicket } from './useChat';
import type { ChatEvent } from './types';

export type SocketState = 'connecting' | 'live' | 'offline';

/** The delay before the n-th reconnection attempt (from 0): doubling from 1 s up to 30 s, with jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  return Math.round(base / 2 + (random() * base) / 2);
}

/**
 * The chat's WebSocket: a single-use ticket (POST /api/chat/ticket), then /api/chat/socket?ticket=…; on a
 * drop, it reconnects with a growing delay. `onEvent` gets every event, and a `ready` at each (re)connection,
 * when the caller fetches what came after the last message it has: nothing is lost while offline.
 */
export function useChatSocket(onEvent: (event: ChatEvent) => void): SocketState {
  const [state, setState] = useState<SocketState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const retry = () => {
      if (stopped) return;
      setState('offline');
      timer = setTimeout(connect, reconnectDelay(attempt++));
    };

    async function connect() {
      if (stopped) return;
      let ticket: string;
      try {
        ticket = (await chatTicket()).ticket;
      } catch {
        retry();
        return;
      }
      if (stopped) return;
      const url = `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/api/chat/socket?ticket=${encodeURIComponent(ticket)}`;
      const ws = new WebSocket(url);
      socket = ws;
      ws.onmessage = (message) => {
        let event: ChatEvent;
        try {
          event = JSON.parse(String(message.data)) as ChatEvent;
        } catch {
          return;
        }
        if (event.type === 'ready') {
          attempt = 0;
          setState('live');
        }
        handler.current(event);
      };
      ws.onclose = () => {
        if (socket === ws) socket = null;
        retry();
      };
    }

    void connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (socket) {
        socket.onclose = null;
        socket.close();
      }
    };
  }, []);

  return state;
}

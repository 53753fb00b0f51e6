// The JSON shape of a message in the HTTP API.
import type { StoredMessage } from '../../core/message.js';

export interface MessageView {
  id: number;
  author: string;
  text: string;
  createdAt: string;
  entity?: string;
  source?: string;
  replyTo?: number;
}

export function toView(m: StoredMessage): MessageView {
  const view: MessageView = {
    id: m.id,
    author: m.author,
    text: m.text,
    createdAt: new Date(m.createdAt).toISOString(),
  };
  if (m.entityId !== undefined) view.entity = m.entityId;
  if (m.source !== undefined) view.source = m.source;
  if (m.replyTo !== undefined) view.replyTo = m.replyTo;
  return view;
}

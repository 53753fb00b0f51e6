// The Signal client's public surface: HTTP calls (SignalClient, whose receive() is one normal/native poll), the
// json-rpc websocket (SignalReceiver), parsing of received items, the two group-id forms and the typed error.
export { SignalClient, type ReceiveOptions } from './signal-client.js';
export { SignalReceiver, type SignalReceiverOptions } from './receiver.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { parseIncoming, textWithMentions } from './incoming.js';
export { toGroupSendId, fromGroupSendId, isGroupSendId } from './group-ids.js';
export { SignalError, parseCaptchaText, type SignalErrorCode, type SignalErrorDetails } from './errors.js';
export type {
  SignalClientOptions,
  SignalAbout,
  OutgoingMessage,
  SignalGroup,
  SignalIncoming,
  SignalMention,
  SignalAttachment,
} from './types.js';

/**
 * Function `staff`: the assistant's staff console for human agents — the conversations handed to a
 * person, their transcripts, replies and closing. Reached over HTTP only (CloudBase HTTP access
 * service; on the local host `/staff/<action>`), authenticated by the staff token, never by openid.
 */
import type { ChatMessage, StaffConversationView } from './assistant';

/**
 * Who is asking, as the HTTP adapter reads it from the request itself (header `X-Staff-Token`, the
 * source address): never taken from a body — a body's own `staffAuth` is overwritten.
 */
export interface StaffCredential {
  /** The `X-Staff-Token` header; null when absent. */
  token: string | null;
  /** The address wrong tokens are counted against. */
  sourceIp: string;
}

interface Authenticated {
  staffAuth: StaffCredential;
}

export interface StaffTranscriptRequest extends Authenticated {
  conversationId: string;
  /** Messages before this seq (an older page); omit for the newest. */
  beforeSeq?: number;
}

export interface StaffReplyRequest extends Authenticated {
  conversationId: string;
  text: string;
}

export interface StaffCloseRequest extends Authenticated {
  conversationId: string;
}

export interface StaffTranscript {
  /** Oldest first, masked. */
  messages: ChatMessage[];
  hasMore: boolean;
}

/** Action → request/response; the HTTP method of each is in server/functions/staff.ts (`STAFF_ROUTES`). */
export interface StaffActions {
  conversations: { request: Authenticated; response: StaffConversationView[] };
  transcript: { request: StaffTranscriptRequest; response: StaffTranscript };
  reply: { request: StaffReplyRequest; response: ChatMessage };
  close: { request: StaffCloseRequest; response: ChatMessage };
}

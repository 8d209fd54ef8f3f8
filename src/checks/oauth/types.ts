import type { MessageData } from '../../model/messages.js';
import type { Assertion } from '../../model/outcome.js';
import type { HttpResponse } from '../../net/http.js';
import type { ParamsOf } from '../types.js';
import type { messages } from './messages.js';
import type { meta, PROOFS } from './meta.js';

/*
 * The words the files of the `oauth` folder share. Only types: every file may import it, and it
 * imports nothing of the folder but meta and messages (both leaves), so imports stay one way.
 */

/** The check's parameters, after validation (defaults applied). */
export type Params = ParamsOf<typeof meta.schema>;

/** One sub-proof. */
export type Proof = (typeof PROOFS)[number];

/** The grant that obtains the token. */
export type Flow = Params['flow'];

/** How the client authenticates at the token, introspection and revocation endpoints. */
export type ClientAuth = Params['clientAuth'];

/** An id of the type's messages table. */
export type MessageId = keyof typeof messages & string;

/** A message not yet put into words: which entry of the table, and its data (summaries built from a helper's result). */
export interface Said {
  /** The entry. */
  id: MessageId;
  /** Its placeholders' values. */
  data: MessageData;
}

/** The client's credentials. */
export interface ClientCredentials {
  /** `client_id`. */
  id: string;
  /** `client_secret`. */
  secret: string;
  /** Authentication method. */
  auth: ClientAuth;
}

/** A response read to its end, with the JSON body when there is one. */
export interface OAuthResponse {
  /** HTTP status. */
  status: number;
  /** The raw response. */
  raw: HttpResponse;
  /** The body parsed as a JSON object, or undefined. */
  json: Record<string, unknown> | undefined;
  /** First value of a header. */
  header(name: string): string | undefined;
}

/** The endpoints the check talks to, from discovery and/or parameters. */
export interface Endpoints {
  /** Issuer identifier (discovery), when known. */
  issuer?: string;
  /** Token endpoint. */
  token?: string;
  /** Authorization endpoint. */
  authorization?: string;
  /** Introspection endpoint (RFC 7662). */
  introspection?: string;
  /** Revocation endpoint (RFC 7009). */
  revocation?: string;
  /** JWK Set. */
  jwks?: string;
}

/** What a sub-proof found: its assertions, and what the server does not support for this token (a `warn`, never a `fail`). */
export interface Probed {
  /** Comparisons made. */
  assertions: Assertion[];
  /** Limitations in words, each quoting the server and saying what to rely on instead. */
  warnings: string[];
}

/** What the token is, for the introspection and revocation messages. */
export interface TokenFacts {
  /** True for a JWT (self-contained) access token. */
  jwt: boolean;
  /** expires_in of the token response, when a number. */
  expiresIn: unknown;
}

// The part of oidc-provider's API the conformance tests use (the package ships no types).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** An OpenID Provider / OAuth 2.0 authorization server. */
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    /** The issuer identifier it was created with. */
    readonly issuer: string;
    /** A Node.js request listener serving every endpoint. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}

declare module 'oidc-provider-9' {
  import Provider from 'oidc-provider';

  export default Provider;
}

// A real OpenID provider on loopback for the interoperability tests: panva's oidc-provider,
// configured as a docs site's operator would, with its development login and consent pages.
//
// It binds an ephemeral port first (the issuer URL must be known before the provider is
// built), then prints one JSON line {"issuer": ...} on stdout: the tests wait for that line.
// Readers: any login is accepted; "alice" and "bob" have verified emails, anyone else none.

import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const REDIRECT_URI = 'https://docs.example.com/callback';

const READERS = {
  alice: { email: 'alice@example.com', email_verified: true, name: 'Alice Ångström' },
  bob: { email: 'bob@example.com', email_verified: true, name: 'Bob Builder' },
};

const privateJwk = (type) => ({ ...generateKeyPairSync(type, type === 'rsa' ? { modulusLength: 2048 } : {}).privateKey.export({ format: 'jwk' }), use: 'sig' });

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    // One RSA and one Ed25519 key: which one signs depends on the client's registration.
    jwks: { keys: [privateJwk('rsa'), privateJwk('ed25519')] },
    clients: [
      // A client registered with no signing preference: it gets the provider's default alg.
      { client_id: 'docs', token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT_URI] },
      // A client that asked for Ed25519 (RFC 9864's fully-specified name).
      {
        client_id: 'docs-ed25519',
        token_endpoint_auth_method: 'none',
        redirect_uris: [REDIRECT_URI],
        id_token_signed_response_alg: 'Ed25519',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Put the scope's claims in the ID token too: the signer reads the ID token, not userinfo.
    conformIdTokenClaims: false,
    async findAccount(ctx, sub) {
      return { accountId: sub, claims: () => ({ sub, ...READERS[sub] }) };
    },
    cookies: { keys: ['test-only-cookie-key-0123456789abcdef'] },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer, redirect_uri: REDIRECT_URI })}\n`);
});

// The test process ends us with SIGTERM; close cleanly so nothing is left listening.
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// Local OAuth2 / OpenID Connect server for Mailroom's test bed, built on the certified npm package
// oidc-provider (127.0.0.1 only). It plays Microsoft Entra / Google: Mailroom's configuration points
// its endpoints here, and Dovecot's oauth2 passdb asks /introspect (RFC 7662) whether an XOAUTH2 /
// OAUTHBEARER token is good. The protocol is oidc-provider's; this file only configures it:
//
//   /authorize  authorization code, PKCE (S256) required    /token       code, refresh_token (rotating),
//   /devicecode device authorization (RFC 8628)              client_credentials, device_code
//   /device     the page where a person types the user code  /revoke      RFC 7009
//   /introspect RFC 7662 (+ "username": the mailbox)          /userinfo    email, preferred_username
//   /interaction/:uid  the sign-in and consent page (fields: username; buttons #allow / #deny)
//
// The account id IS the mailbox address (what Dovecot's username_attribute = username expects).
// Test-bed settings (not protocol): POST /control/settings access_ttl=S, app_mailbox=U (the mailbox
// client-credentials tokens act for); POST /control/expire token=T (the provider forgets an access
// token early, as if it expired); GET /control/stats (refresh tokens per user: active / revoked);
// POST /control/client client_id=C, jwks=J (a JWK Set, public keys only): registers an app-only client
// that authenticates with private_key_jwt (RFC 7523, a certificate's signed assertion), as an app
// registration with an uploaded certificate does.
//
// Usage: node server.js --portfile F --pidfile F --log F --client ID:SECRET [--client ID:] [--introspector ID:SECRET]
import fs from 'node:fs';
import http from 'node:http';
import querystring from 'node:querystring';
import Provider, { errors } from 'oidc-provider';

const args = { client: [] };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (key === 'client') args.client.push(process.argv[i + 1]); else args[key] = process.argv[i + 1];
}

const settings = { access_ttl: 3600, app_mailbox: '' };
const log = (entry) => {
  if (args.log) fs.appendFileSync(args.log, `${JSON.stringify({ t: Date.now() / 1000, ...entry })}\n`);
};
const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// ---- storage: in memory, inspectable (stats) -------------------------------------------------
const store = new Map(); // `${model}:${id}` -> { payload, expiresAt }
const refreshTokens = []; // every refresh token ever issued: { id, accountId } (payload stays in store)
class MemoryAdapter {
  constructor(model) { this.model = model; }

  key(id) { return `${this.model}:${id}`; }

  async upsert(id, payload, expiresIn) {
    store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    if (this.model === 'RefreshToken' && !refreshTokens.some((t) => t.id === id)) refreshTokens.push({ id, accountId: payload.accountId });
  }

  async find(id) {
    const entry = store.get(this.key(id));
    if (!entry || entry.destroyed || (entry.expiresAt && entry.expiresAt < Date.now())) return undefined;
    return entry.payload;
  }

  async findByUserCode(userCode) {
    for (const [key, entry] of store) {
      if (key.startsWith(`${this.model}:`) && !entry.destroyed && entry.payload.userCode === userCode) return entry.payload;
    }
    return undefined;
  }

  async findByUid(uid) {
    for (const [key, entry] of store) {
      if (key.startsWith(`${this.model}:`) && !entry.destroyed && entry.payload.uid === uid) return entry.payload;
    }
    return undefined;
  }

  async consume(id) {
    const entry = store.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    const entry = store.get(this.key(id));
    if (entry) entry.destroyed = true;
  }

  async revokeByGrantId(grantId) {
    for (const [key, entry] of store) {
      if (key.startsWith(`${this.model}:`) && entry.payload.grantId === grantId) entry.destroyed = true;
    }
  }
}

// ---- clients ---------------------------------------------------------------------------------
const grantTypes = ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code'];
const clients = args.client.map((spec) => {
  const [clientId, secret] = spec.split(/:(.*)/s);
  return {
    client_id: clientId,
    ...(secret ? { client_secret: secret, token_endpoint_auth_method: 'client_secret_post' } : { token_endpoint_auth_method: 'none' }),
    application_type: 'native', // RFC 8252: any port on the loopback redirect URI
    redirect_uris: ['http://127.0.0.1/oauth/callback', 'http://localhost/oauth/callback'],
    grant_types: secret ? grantTypes : grantTypes.filter((g) => g !== 'client_credentials'),
    response_types: ['code'],
  };
});
if (args.introspector) {
  const [clientId, secret] = args.introspector.split(/:(.*)/s);
  clients.push({
    client_id: clientId, client_secret: secret, token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: [], grant_types: [], response_types: [],
  });
}

const server = http.createServer();
await new Promise((resolve) => server.listen(Number(args.port ?? 0), '127.0.0.1', resolve));
const port = server.address().port;
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  adapter: MemoryAdapter,
  clients,
  clientBasedCORS: () => false,
  routes: {
    authorization: '/authorize', token: '/token', device_authorization: '/devicecode', code_verification: '/device',
    revocation: '/revoke', introspection: '/introspect', userinfo: '/userinfo', jwks: '/jwks', end_session: '/logout',
  },
  scopes: ['openid', 'offline_access', 'email', 'https://outlook.office.com/SMTP.Send', 'https://mail.google.com/', 'https://outlook.office365.com/.default'],
  claims: { openid: ['sub'], email: ['email', 'preferred_username'] },
  conformIdTokenClaims: false, // the account's e-mail goes into the id_token, where Mailroom reads it
  findAccount: (ctx, id) => ({ accountId: id, claims: () => ({ sub: id, email: id, preferred_username: id }) }),
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    deviceFlow: {
      enabled: true,
      charset: 'base-20',
      mask: '****-****',
      userCodeInputSource: (ctx, form) => {
        ctx.body = page('Device sign-in', `<p>Enter the code shown by the application.</p>${form}
<button id="continue" type="submit" form="op.deviceInputForm">Continue</button>`);
      },
      userCodeConfirmSource: (ctx, form, client, deviceInfo, userCode) => {
        ctx.body = page('Device sign-in', `<p>Sign in to ${escape(client.clientId)} with code ${escape(userCode)}?</p>${form}
<button id="confirm" type="submit" form="op.deviceConfirmForm">Continue</button>`);
      },
      successSource: (ctx) => { ctx.body = page('Device sign-in', '<p id="result">Done. You may close this window.</p>'); },
    },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  issueRefreshToken: (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  expiresWithSession: () => false,
  // app-only tokens act for the mailbox granted to the app (app_mailbox); none granted = refused
  extraTokenClaims: (ctx, token) => {
    if (!token.accountId && !settings.app_mailbox) throw new errors.UnauthorizedClient('no mailbox is granted to this application');
    return { username: token.accountId ?? settings.app_mailbox };
  },
  ttl: {
    AccessToken: () => Number(settings.access_ttl),
    ClientCredentials: () => Number(settings.access_ttl),
    AuthorizationCode: 120, DeviceCode: 600, Grant: 14 * 86400, IdToken: 3600, Interaction: 600,
    RefreshToken: 14 * 86400, Session: 86400,
  },
  cookies: { keys: ['mailroom-testbed-only'] },
  renderError: (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Error', `<p id="error">${escape(out.error)}: ${escape(out.error_description)}</p>`);
  },
});

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;
}

provider.use(async (ctx, next) => {
  await next();
  const params = ctx.oidc?.params ?? {};
  if (ctx.path === '/token') log({ path: '/token', grant_type: params.grant_type, client_id: ctx.oidc?.client?.clientId, status: ctx.status, scope: ctx.body?.scope, error: ctx.body?.error });
  if (ctx.path === '/introspect') log({ path: '/introspect', active: ctx.body?.active ?? false, username: ctx.body?.username });
  if (ctx.path === '/revoke' || ctx.path === '/devicecode') log({ path: ctx.path, status: ctx.status });
});
provider.on('grant.success', () => {});

async function readForm(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return querystring.parse(raw);
}

function send(res, status, body, type = 'application/json') {
  const data = type === 'application/json' ? JSON.stringify(body) : body;
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' });
  res.end(data);
}

// the sign-in and consent page: one step, the person types the account and allows or denies
async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, 'wrong interaction', 'text/html');
  if (req.method === 'GET') {
    const { params } = details;
    return send(res, 200, page('Sign in', `<p>${escape(params.client_id)} asks to send mail as you (scopes: ${escape(params.scope)}).</p>
<form method="post" action="/interaction/${escape(uid)}">
<label for="username">Account</label> <input id="username" name="username" value="${escape(params.login_hint)}">
<button id="allow" name="action" value="allow" type="submit">Sign in and allow</button>
<button id="deny" name="action" value="deny" type="submit">Deny</button></form>`), 'text/html');
  }
  const form = await readForm(req);
  const username = String(form.username ?? '').trim();
  if (form.action !== 'allow' || !username) {
    log({ path: '/interaction', action: 'deny' });
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user did not consent.' }, { mergeWithLastSubmission: false });
  }
  const grant = new provider.Grant({ accountId: username, clientId: details.params.client_id });
  grant.addOIDCScope(String(details.params.scope ?? ''));
  const grantId = await grant.save();
  log({ path: '/interaction', action: 'allow' });
  return provider.interactionFinished(req, res, { login: { accountId: username }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

async function control(req, res, path) {
  if (path === '/control/settings' && req.method === 'POST') {
    const form = await readForm(req);
    for (const key of Object.keys(settings)) if (key in form) settings[key] = form[key];
    return send(res, 200, settings);
  }
  if (path === '/control/client' && req.method === 'POST') {
    const form = await readForm(req);
    const clientId = String(form.client_id ?? '');
    if (!clientId || args.client.some((spec) => spec.split(':')[0] === clientId)) return send(res, 400, { error: 'invalid_client_id' });
    // the adapter's Client model: oidc-provider finds clients here that are not in its static list
    store.set(`Client:${clientId}`, {
      payload: {
        client_id: clientId, token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'RS256',
        jwks: JSON.parse(String(form.jwks ?? '{}')), grant_types: ['client_credentials'], redirect_uris: [], response_types: [],
      },
    });
    return send(res, 200, { client_id: clientId });
  }
  if (path === '/control/expire' && req.method === 'POST') {
    const form = await readForm(req);
    const entry = store.get(`AccessToken:${form.token}`);
    if (entry) entry.destroyed = true;
    return send(res, entry ? 200 : 404, { expired: Boolean(entry) });
  }
  if (path === '/control/stats' && req.method === 'GET') {
    const users = {};
    for (const { id, accountId } of refreshTokens) {
      const entry = store.get(`RefreshToken:${id}`);
      const s = users[accountId] ??= { active_refresh_tokens: 0, revoked_refresh_tokens: 0 };
      if (entry && !entry.destroyed && !entry.payload.consumed) s.active_refresh_tokens += 1; else s.revoked_refresh_tokens += 1;
    }
    return send(res, 200, users);
  }
  return send(res, 404, { error: 'not_found' });
}

// Like Microsoft Entra, this provider shows its consent page on every sign-in and honours
// offline_access (issues a refresh token) without the caller adding prompt=consent, which OIDC Core
// §11 would otherwise require (oidc-provider drops offline_access without it).
function alwaysConsent(url) {
  const parsed = new URL(url, issuer);
  const prompts = new Set((parsed.searchParams.get('prompt') ?? '').split(' ').filter(Boolean));
  if (!(parsed.searchParams.get('scope') ?? '').split(' ').includes('offline_access') || prompts.has('consent')) return url;
  prompts.add('consent');
  parsed.searchParams.set('prompt', [...prompts].join(' '));
  return parsed.pathname + parsed.search;
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  const path = req.url.split('?')[0];
  try {
    if (path === '/health') return send(res, 200, { ok: true });
    if (path.startsWith('/control/')) return await control(req, res, path);
    const match = /^\/interaction\/([^/]+)$/.exec(path);
    if (match) return await interaction(req, res, match[1]);
    if (path === '/authorize') req.url = alwaysConsent(req.url);
    return callback(req, res);
  } catch (error) {
    log({ path, error: String(error?.message ?? error) });
    if (!res.headersSent) send(res, 500, { error: 'server_error', error_description: String(error?.message ?? error) });
  }
});

if (args.pidfile) fs.writeFileSync(args.pidfile, String(process.pid));
if (args.portfile) {
  fs.writeFileSync(`${args.portfile}.tmp`, String(port));
  fs.renameSync(`${args.portfile}.tmp`, args.portfile);
}
process.stderr.write(`oidc-provider listening on ${issuer}\n`);
process.on('SIGTERM', () => process.exit(0));

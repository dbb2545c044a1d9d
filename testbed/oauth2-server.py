#!/usr/bin/env python3
"""Local OAuth2 / OpenID Connect authorization server for Mailroom's tests (python3 stdlib, 127.0.0.1 only).

It plays Microsoft Entra / Google for the test bed: Mailroom's configuration points its endpoints
here, Dovecot's oauth2 passdb asks /introspect whether an XOAUTH2 token is good.

  GET  /authorize        authorization code + PKCE (S256 only) + state: a sign-in and consent form
                         (fields: username; buttons allow / deny) that a browser test drives
  POST /authorize        the form's answer -> 302 redirect_uri?code=..&state=..  (or error=access_denied)
  POST /token            grant_type = authorization_code (code_verifier checked) | refresh_token
                         (ROTATING: every use returns a new refresh token and revokes the old one; a
                         revoked one presented again revokes the whole grant) | client_credentials
                         (app-only; the token acts for --app-mailbox) | device_code
  POST /devicecode       device authorization (RFC 8628) -> device_code, user_code, verification_uri
  GET|POST /device       the page where a person types the user code and signs in
  POST /revoke           RFC 7009 (access or refresh token; a refresh token revokes its grant)
  POST /introspect       RFC 7662 -> {"active", "username", "exp", "scope", "client_id"}
  GET  /userinfo         Bearer access token -> {"sub", "email", "preferred_username"}
  GET  /.well-known/openid-configuration, GET /health
  POST /control/revoke-user  username=U   (the "administrator revokes the user's sessions" switch)
  POST /control/settings     access_ttl=S, app_mailbox=U, smtp_denied_users=a,b (tests change behaviour)
  GET  /control/stats        counts per user (grants, active/revoked refresh tokens, reuse detected)

Clients: --client ID:SECRET (repeatable; SECRET may be empty for a public client). The token
endpoint takes client_secret_post or client_secret_basic. id_tokens are HS256-signed with the
client secret (OIDC allows it for confidential clients). Tokens are opaque random strings held in
memory; nothing is written to disk except --log (one JSON line per request, never a token).

Usage: oauth2-server.py [--port 0] [--portfile F] [--pidfile F] [--log F] [--client ID:SECRET]...
"""
import argparse, base64, hashlib, hmac, html, json, os, secrets, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

LOCK = threading.Lock()
CLIENTS = {}          # client_id -> secret ("" = public client)
CODES = {}            # code -> dict(client_id, redirect_uri, challenge, username, scope, nonce, exp)
ACCESS = {}           # access token -> dict(username, exp, scope, client_id, grant)
REFRESH = {}          # refresh token -> dict(username, scope, client_id, grant, active)
GRANTS = {}           # grant id -> dict(username, active)
DEVICES = {}          # device_code -> dict(user_code, client_id, scope, status, username, exp, last_poll)
STATS = {}            # username -> dict(reuse_detected)
SETTINGS = {"access_ttl": 3600, "app_mailbox": "", "smtp_denied_users": ""}
ISSUER = ""
LOG = None


def log(entry):
    if LOG:
        entry["t"] = round(time.time(), 3)
        with LOCK, open(LOG, "a") as f:
            f.write(json.dumps(entry) + "\n")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def id_token(client_id, username, nonce):
    secret = CLIENTS.get(client_id) or "public"
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": hashlib.sha256(username.encode()).hexdigest()[:24], "aud": client_id,
              "iat": now, "exp": now + 3600, "email": username, "preferred_username": username}
    if nonce:
        claims["nonce"] = nonce
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    sig = b64url(hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
    return f"{head}.{body}.{sig}"


def new_access(username, scope, client_id, grant):
    tok = secrets.token_urlsafe(32)
    ttl = int(SETTINGS["access_ttl"])
    ACCESS[tok] = {"username": username, "exp": time.time() + ttl, "scope": scope, "client_id": client_id, "grant": grant}
    return tok, ttl


def token_response(username, scope, client_id, grant, nonce=None, with_refresh=True):
    with LOCK:
        tok, ttl = new_access(username, scope, client_id, grant)
        res = {"access_token": tok, "token_type": "Bearer", "expires_in": ttl, "scope": scope}
        if with_refresh:
            rt = secrets.token_urlsafe(32)
            REFRESH[rt] = {"username": username, "scope": scope, "client_id": client_id, "grant": grant, "active": True}
            res["refresh_token"] = rt
    if "openid" in scope.split():
        res["id_token"] = id_token(client_id, username, nonce)
    return res


def new_grant(username):
    gid = secrets.token_hex(8)
    with LOCK:
        GRANTS[gid] = {"username": username, "active": True}
    return gid


def revoke_grant(gid):
    with LOCK:
        if gid in GRANTS:
            GRANTS[gid]["active"] = False
        for rt in REFRESH.values():
            if rt["grant"] == gid:
                rt["active"] = False
        for tok in [t for t, a in ACCESS.items() if a["grant"] == gid]:
            del ACCESS[tok]


def introspect(tok):
    with LOCK:
        a = ACCESS.get(tok)
        g = GRANTS.get(a["grant"]) if a and a["grant"] else None
        denied = set(u for u in SETTINGS["smtp_denied_users"].split(",") if u)
    if a and a["exp"] > time.time() and (g is None or g["active"]) and a["username"] not in denied:
        return {"active": True, "username": a["username"], "scope": a["scope"], "exp": int(a["exp"]),
                "client_id": a["client_id"], "token_type": "Bearer"}
    return {"active": False}


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{text}</p><form method="post" action="{action}">{hidden}
<label for="username">Account</label> <input id="username" name="username" value="{username}">
{extra}<button id="allow" name="action" value="allow" type="submit">Sign in and allow</button>
<button id="deny" name="action" value="deny" type="submit">Deny</button></form></body></html>"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _send(self, code, body, ctype="application/json", headers=None):
        data = (json.dumps(body) if ctype == "application/json" else body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype == "text/html" else ""))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, code, error, description=""):
        log({"path": urlparse(self.path).path, "error": error})
        self._send(code, {"error": error, "error_description": description})

    def _form(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n).decode() if n else ""
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def _client(self, f):
        """Client authentication: Basic or client_secret_post; a public client sends only client_id."""
        cid, secret = f.get("client_id", ""), f.get("client_secret")
        auth = self.headers.get("Authorization") or ""
        if auth.startswith("Basic "):
            try:
                cid, secret = base64.b64decode(auth[6:]).decode().split(":", 1)
            except Exception:
                return None
        if cid not in CLIENTS:
            return None
        if CLIENTS[cid] and not hmac.compare_digest(CLIENTS[cid], secret or ""):
            return None
        return cid

    # ---- GET -------------------------------------------------------------------------------
    def do_GET(self):
        u = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        if u.path == "/health":
            return self._send(200, {"ok": True})
        if u.path == "/.well-known/openid-configuration":
            return self._send(200, {"issuer": ISSUER, "authorization_endpoint": ISSUER + "/authorize",
                                    "token_endpoint": ISSUER + "/token", "device_authorization_endpoint": ISSUER + "/devicecode",
                                    "revocation_endpoint": ISSUER + "/revoke", "introspection_endpoint": ISSUER + "/introspect",
                                    "userinfo_endpoint": ISSUER + "/userinfo", "code_challenge_methods_supported": ["S256"],
                                    "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials",
                                                              "urn:ietf:params:oauth:grant-type:device_code"]})
        if u.path == "/authorize":
            return self._authorize_page(q)
        if u.path == "/device":
            hidden = ""
            extra = f'<label for="user_code">Code</label> <input id="user_code" name="user_code" value="{html.escape(q.get("user_code", ""))}"> '
            return self._send(200, PAGE.format(title="Device sign-in", text="Enter the code shown by the application.",
                                               action="/device", hidden=hidden, username="", extra=extra), "text/html")
        if u.path == "/userinfo":
            auth = self.headers.get("Authorization") or ""
            info = introspect(auth[7:]) if auth.startswith("Bearer ") else {"active": False}
            if not info["active"]:
                return self._send(401, {"error": "invalid_token"}, headers={"WWW-Authenticate": "Bearer error=\"invalid_token\""})
            user = info["username"]
            return self._send(200, {"sub": hashlib.sha256(user.encode()).hexdigest()[:24], "email": user, "preferred_username": user})
        if u.path == "/control/stats":
            with LOCK:
                users = {}
                for rt in REFRESH.values():
                    s = users.setdefault(rt["username"], {"active_refresh_tokens": 0, "revoked_refresh_tokens": 0, "reuse_detected": 0})
                    s["active_refresh_tokens" if rt["active"] else "revoked_refresh_tokens"] += 1
                for user, st in STATS.items():
                    users.setdefault(user, {"active_refresh_tokens": 0, "revoked_refresh_tokens": 0, "reuse_detected": 0})["reuse_detected"] = st["reuse_detected"]
            return self._send(200, users)
        self._send(404, {"error": "not_found"})

    def _authorize_page(self, q):
        if q.get("client_id") not in CLIENTS:
            return self._send(400, "unknown client_id", "text/plain")
        if q.get("response_type") != "code" or not q.get("redirect_uri"):
            return self._send(400, "response_type=code and redirect_uri are required", "text/plain")
        if q.get("code_challenge_method") != "S256" or len(q.get("code_challenge", "")) < 43:
            return self._send(400, "PKCE with code_challenge_method=S256 is required", "text/plain")
        keep = ("client_id", "redirect_uri", "scope", "state", "code_challenge", "nonce", "login_hint")
        hidden = "".join(f'<input type="hidden" name="{k}" value="{html.escape(q.get(k, ""))}">' for k in keep)
        text = "Mailroom asks to send mail as you (scopes: " + html.escape(q.get("scope", "")) + ")."
        self._send(200, PAGE.format(title="Sign in", text=text, action="/authorize", hidden=hidden,
                                    username=html.escape(q.get("login_hint", "")), extra=""), "text/html")

    # ---- POST ------------------------------------------------------------------------------
    def do_POST(self):
        u = urlparse(self.path)
        f = self._form()
        if u.path == "/authorize":
            return self._authorize_answer(f)
        if u.path == "/token":
            return self._token(f)
        if u.path == "/devicecode":
            cid = self._client(f)
            if not cid:
                return self._error(401, "invalid_client")
            dc, uc = secrets.token_urlsafe(32), secrets.token_hex(4).upper()
            with LOCK:
                DEVICES[dc] = {"user_code": uc, "client_id": cid, "scope": f.get("scope", ""), "status": "pending",
                               "username": None, "exp": time.time() + 600}
            log({"path": "/devicecode", "client_id": cid})
            return self._send(200, {"device_code": dc, "user_code": uc, "verification_uri": ISSUER + "/device",
                                    "verification_uri_complete": ISSUER + "/device?user_code=" + uc,
                                    "expires_in": 600, "interval": 1})
        if u.path == "/device":
            with LOCK:
                dev = next((d for d in DEVICES.values() if d["user_code"] == f.get("user_code", "").strip().upper()), None)
                if dev and dev["status"] == "pending" and f.get("username"):
                    dev["status"] = "approved" if f.get("action") == "allow" else "denied"
                    dev["username"] = f["username"].strip()
            text = "Done. You may close this window." if dev else "Unknown code."
            return self._send(200 if dev else 400, f"<!doctype html><html><body><p id='result'>{text}</p></body></html>", "text/html")
        if u.path == "/revoke":
            tok = f.get("token", "")
            with LOCK:
                rt = REFRESH.get(tok)
                at = ACCESS.pop(tok, None)
            if rt:
                revoke_grant(rt["grant"])
            log({"path": "/revoke", "kind": "refresh" if rt else "access" if at else "unknown"})
            return self._send(200, {})
        if u.path == "/introspect":
            res = introspect(f.get("token", ""))
            log({"path": "/introspect", "active": res["active"], "username": res.get("username")})
            return self._send(200, res)
        if u.path == "/control/revoke-user":
            with LOCK:
                gids = [g for g, v in GRANTS.items() if v["username"] == f.get("username")]
            for gid in gids:
                revoke_grant(gid)
            return self._send(200, {"revoked_grants": len(gids)})
        if u.path == "/control/settings":
            with LOCK:
                for k in SETTINGS:
                    if k in f:
                        SETTINGS[k] = f[k]
            return self._send(200, SETTINGS)
        self._send(404, {"error": "not_found"})

    def _authorize_answer(self, f):
        redirect = f.get("redirect_uri", "")
        if f.get("client_id") not in CLIENTS or not redirect:
            return self._send(400, "bad request", "text/plain")
        sep = "&" if "?" in redirect else "?"
        if f.get("action") != "allow" or not f.get("username", "").strip():
            target = redirect + sep + urlencode({"error": "access_denied", "error_description": "The user did not consent.", "state": f.get("state", "")})
        else:
            code = secrets.token_urlsafe(24)
            with LOCK:
                CODES[code] = {"client_id": f["client_id"], "redirect_uri": redirect, "challenge": f.get("code_challenge", ""),
                               "username": f["username"].strip(), "scope": f.get("scope", ""), "nonce": f.get("nonce"),
                               "exp": time.time() + 120}
            target = redirect + sep + urlencode({"code": code, "state": f.get("state", "")})
        log({"path": "/authorize", "action": f.get("action")})
        self._send(302, "", "text/plain", {"Location": target})

    def _token(self, f):
        gt = f.get("grant_type", "")
        cid = self._client(f)
        if not cid:
            return self._error(401, "invalid_client", "Unknown client or wrong secret.")
        log({"path": "/token", "grant_type": gt, "client_id": cid})
        if gt == "authorization_code":
            with LOCK:
                c = CODES.pop(f.get("code", ""), None)
            if not c or c["exp"] < time.time() or c["client_id"] != cid or c["redirect_uri"] != f.get("redirect_uri"):
                return self._error(400, "invalid_grant", "Unknown, used or expired code, or another redirect_uri.")
            verifier = f.get("code_verifier", "")
            if b64url(hashlib.sha256(verifier.encode()).digest()) != c["challenge"]:
                return self._error(400, "invalid_grant", "PKCE verification failed.")
            return self._send(200, token_response(c["username"], c["scope"], cid, new_grant(c["username"]), c["nonce"]))
        if gt == "refresh_token":
            with LOCK:
                rt = REFRESH.get(f.get("refresh_token", ""))
                if rt and rt["client_id"] != cid:
                    rt = None
                reused = rt is not None and not rt["active"]
                if rt:
                    rt["active"] = False  # rotation: this one is spent either way
            if not rt:
                return self._error(400, "invalid_grant", "Unknown refresh token.")
            if reused or not GRANTS.get(rt["grant"], {}).get("active"):
                if reused:
                    with LOCK:
                        STATS.setdefault(rt["username"], {"reuse_detected": 0})["reuse_detected"] += 1
                    revoke_grant(rt["grant"])
                return self._error(400, "invalid_grant", "The refresh token was revoked or already used; sign in again.")
            return self._send(200, token_response(rt["username"], rt["scope"], cid, rt["grant"]))
        if gt == "client_credentials":
            mailbox = SETTINGS["app_mailbox"]
            if not mailbox:
                return self._error(400, "unauthorized_client", "No mailbox is granted to this application.")
            with LOCK:
                tok, ttl = new_access(mailbox, f.get("scope", ""), cid, None)
            return self._send(200, {"access_token": tok, "token_type": "Bearer", "expires_in": ttl, "scope": f.get("scope", "")})
        if gt == "urn:ietf:params:oauth:grant-type:device_code":
            with LOCK:
                dev = DEVICES.get(f.get("device_code", ""))
                if dev and dev["client_id"] != cid:
                    dev = None
                if dev and dev["status"] != "pending":
                    DEVICES.pop(f["device_code"], None)
            if not dev:
                return self._error(400, "invalid_grant", "Unknown device code.")
            if dev["exp"] < time.time():
                return self._error(400, "expired_token")
            if dev["status"] == "pending":
                return self._error(400, "authorization_pending")
            if dev["status"] == "denied":
                return self._error(400, "access_denied")
            return self._send(200, token_response(dev["username"], dev["scope"], cid, new_grant(dev["username"])))
        return self._error(400, "unsupported_grant_type")

    def log_message(self, fmt, *args):
        pass


def main():
    global ISSUER, LOG
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--portfile")
    ap.add_argument("--pidfile")
    ap.add_argument("--log")
    ap.add_argument("--client", action="append", default=[])
    ap.add_argument("--app-mailbox", default="")
    ap.add_argument("--access-ttl", type=int, default=3600)
    a = ap.parse_args()
    for c in a.client or ["mailroom-test:mailroom-test-secret"]:
        cid, _, secret = c.partition(":")
        CLIENTS[cid] = secret
    SETTINGS["app_mailbox"] = a.app_mailbox
    SETTINGS["access_ttl"] = a.access_ttl
    LOG = a.log
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    port = srv.server_address[1]
    ISSUER = f"http://127.0.0.1:{port}"
    if a.pidfile:
        with open(a.pidfile, "w") as f:
            f.write(str(os.getpid()))
    if a.portfile:
        with open(a.portfile + ".tmp", "w") as f:
            f.write(str(port))
        os.replace(a.portfile + ".tmp", a.portfile)
    print(f"oauth2-server listening on {ISSUER}", file=sys.stderr, flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

// The loader's machine, driven by hand: the tests' one helper (no browser, no clock).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const loader = require("../../mkdocs_intercom/assets/loader.js");

export const PREFETCH = loader.PREFETCH_LIFE; // ms an answer asked ahead counts
export const T0 = 1_800_000_000_000; // ms: an arbitrary "now"
export const CONFIG = {
  appId: "testapp1",
  signerUrl: "/api/intercom/identity",
  verification: "jwt",
  apiBase: "https://api-iam.intercom.io",
  visitors: false,
  load: "eager",
  consent: false,
  settings: {},
  timeout: 5,
  widgetUrl: "https://widget.example/widget/testapp1",
  enabled: true,
};

/** An identity as the signer answers it, `ttl` seconds from `at`. */
export function identity(user, at = T0, ttl = 3600) {
  const expires = Math.floor(at / 1000) + ttl;
  return {
    user_id: user,
    expires_at: expires,
    intercom_user_jwt: `jwt-of-${user}-until-${expires}`,
    user_hash: `hash-of-${user}`,
  };
}
export const user = (name, at, ttl) => ({ kind: "user", identity: identity(name, at, ttl) });
export const ANONYMOUS = { kind: "anonymous" };
export const UNAVAILABLE = { kind: "unavailable" };

/** A machine: `send` applies an event at the current time and returns its effects;
 * `effects` keeps every effect so far, `asked` the epochs of every `ask`. */
export function machine(config = {}, page = {}) {
  const m = {
    state: loader.initial({ ...CONFIG, ...config }, page),
    now: T0,
    effects: [],
    send(type, fields = {}) {
      const result = loader.transition(m.state, { type, at: m.now, ...fields });
      m.state = result.state;
      m.effects.push(...result.effects);
      return result.effects;
    },
    later(ms) {
      m.now += ms;
      return m;
    },
    /** The epoch of the last `ask` effect (what its answer will carry). */
    lastAsk() {
      const asks = m.effects.filter((effect) => effect.type === "ask");
      if (!asks.length) throw new Error("nothing was asked");
      return asks.at(-1).epoch;
    },
    /** Answer the last request with `result`. */
    answer(result, epoch = m.lastAsk()) {
      return m.send("answer", { epoch, result });
    },
  };
  return m;
}

/** A machine that has booted `name`'s Messenger on a full page load. */
export function signedIn(name = "alice", config = {}, page = {}) {
  const m = machine(config, page);
  m.send("load", { parsed: true });
  m.answer(user(name, m.now));
  return m;
}

export const types = (effects) => effects.map((effect) => effect.type);
export const boots = (effects) => effects.filter((effect) => effect.type === "boot");

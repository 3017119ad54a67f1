/* mkdocs-intercom: boots Intercom's Messenger only with an identity the signer vouched for.
 * Settings come from <meta name="mkdocs-intercom">: no inline script, CSP-friendly.
 * This is the readable source; pages load loader.min.js, made from it by `make loader`.
 *
 * Two halves. The machine: a pure `transition(state, event) → {state, effects}`, the whole
 * behaviour, tested table by table under `node --test` (tests/loader). The wiring: one
 * `dispatch` that turns browser happenings into events and applies the effects.
 *
 * The rule: the signer is the browser's only memory of who the reader is. A user's Messenger
 * boots only with an answer this document got in the current epoch (asked ahead of the
 * start, it counts for 30 s); nothing in Web Storage names a reader. Logout, a change of
 * reader, a message from another tab and a back/forward-cache restore start a new epoch in
 * one place, `newEpoch`, which shuts the Messenger down first; an older answer is dropped. */
// @ts-check: tsc --checkJs --strict keeps it honest (no "use strict": 13 bytes, and tsc checks more)
(() => {
  const MARGIN = 60; // s: a failed recheck keeps a reader whose identity has this much left
  const PREFETCH_LIFE = 30e3; // ms: an answer asked ahead of the start counts this long
  const FOCUS_RECHECK = 30e3; // ms: a focus after this long asks the signer again
  const BACKOFF_FIRST = 5; // s: an answer that buys no time is asked again after 5, 10, 20…
  const BACKOFF_LAST = 600; // …up to 10 minutes, never in a tight loop
  const UPDATE_BUDGET = 20; // Intercom drops 'update' beyond 20 per 30 minutes;
  const UPDATE_RESERVE = 6; // page views leave these to a renewed JWT and to hiding
  const UPDATE_WINDOW = 18e5; // ms
  const FALLBACK_DELAY = 6e3; // ms after a click with no Messenger: offer the fallback link

  /**
   * @typedef {{appId: string, signerUrl?: string | null, verification?: string,
   *   apiBase?: string, visitors?: boolean, load?: string, consent?: boolean,
   *   settings?: Record<string, any>, timeout?: number, widgetUrl: string,
   *   fallbackUrl?: string, enabled?: boolean}} Config
   * @typedef {{user_id: string, expires_at: number, user_hash?: string,
   *   intercom_user_jwt?: string, email?: string, name?: string}} Identity
   * @typedef {{kind: "user", identity: Identity} | {kind: "anonymous" | "unavailable"}} Result
   * @typedef {{
   *   config: Config,
   *   phase: "off" | "waiting" | "started",
   *   messenger: "none" | "user" | "visitor",
   *   identity: Identity | null,
   *   epoch: number,
   *   asking: boolean,
   *   early: {epoch: number, at: number, result: Result} | null,
   *   enabled: boolean, consent: boolean, parsed: boolean,
   *   hint: "anonymous" | null,
   *   checkedAt: number, renewAt: number, stale: number, updates: number[],
   *   openAfterBoot: boolean, clicked: boolean,
   *   launcher: boolean, widget: "none" | "loading" | "loaded" | "failed"
   * }} State
   *   `phase`: off (an excluded page, or no consent: logout links only), waiting (scheduled:
   *   idle until the page is parsed, interaction until a click), started. `early`: an answer
   *   that came before the start. `hint`: the last answer in this tab was a 401 (so the
   *   widget waits for the signer); the only thing kept in sessionStorage, wrong at no cost.
   * @typedef {{type: string, at: number, [key: string]: any}} Event
   * @typedef {{type: string, [key: string]: any}} Effect
   */

  /** @param {Config} config @param {{consent?: boolean, hint?: "anonymous" | null}} [page]
   * @returns {State} */
  const initial = (config, page = {}) => ({
    config,
    phase: "off",
    messenger: "none",
    identity: null,
    epoch: 0,
    asking: false,
    early: null,
    enabled: config.enabled !== false,
    consent: page.consent !== false,
    parsed: false,
    hint: page.hint || null,
    checkedAt: 0,
    renewAt: 0,
    stale: 0,
    updates: [],
    openAfterBoot: false,
    clicked: false,
    launcher: false,
    widget: "none",
  });

  /** The machine: what an event does to the state, and what must happen outside.
   * @param {State} state @param {Event} event @returns {{state: State, effects: Effect[]}} */
  function transition(state, event) {
    const s = { ...state };
    /** @type {Effect[]} */
    const fx = [];
    const handle = on[event.type];
    if (handle) handle(s, event, fx);
    return { state: s, effects: fx };
  }

  /** @typedef {(s: State, e: Event, fx: Effect[]) => void} Handler */
  /** @type {Record<string, Handler>} */
  const on = {
    // The script ran. `parsed`: the document was parsed already.
    load(s, e, fx) {
      s.parsed = !!e.parsed;
      schedule(s, e.at, fx);
    },

    // The document is parsed: the theme's own scripts ran, so cookie consent can be read
    // (we load first in <head>, possibly before the theme defined how to read it).
    parsed(s, e, fx) {
      s.parsed = true;
      s.consent = e.consent !== false;
      schedule(s, e.at, fx);
      if (s.phase === "waiting" && s.config.load === "idle") start(s, e.at, fx);
    },

    // The signer answered a request of epoch `epoch`: dropped if another epoch began since.
    answer(s, e, fx) {
      if (e.epoch !== s.epoch) return;
      s.asking = false;
      if (e.result.kind !== "unavailable") s.checkedAt = e.at;
      if (s.phase !== "started") {
        s.early = { epoch: e.epoch, at: e.at, result: e.result };
        return;
      }
      apply(s, e.result, e.at, fx);
      if (s.clicked && s.messenger === "none") fx.push({ type: "fallback" });
    },

    // A data-intercom-logout link (`leaving`: the browser follows it), the API's logout, or
    // another tab's (`heard`). With visitors, a page that stays goes on as a visitor.
    logout(s, e, fx) {
      if (s.messenger === "none") fx.push({ type: "forget" }); // no Messenger here to do it
      newEpoch(s, fx);
      if (!e.heard) fx.push({ type: "signal", message: "logout" });
      signedOut(s, fx);
      if (!e.leaving && s.config.visitors && s.phase === "started" && s.enabled) boot(s, null, e.at, fx);
    },

    // Another tab of the origin: "logout", or "changed" (another reader); never who.
    peer(s, e, fx) {
      if (e.message === "logout") return on.logout(s, { ...e, heard: true }, fx);
      newEpoch(s, fx);
      if (s.phase === "started") ask(s, fx);
    },

    // Back from the back/forward cache: nothing shows until the signer names the reader.
    pageshow(s, e, fx) {
      if (!e.persisted) return;
      newEpoch(s, fx);
      if (s.phase === "started") ask(s, fx);
    },

    focus(s, e, fx) {
      const due = e.at - s.checkedAt > FOCUS_RECHECK;
      if (s.phase === "started" && s.config.signerUrl && e.visible && due) ask(s, fx);
    },

    // mkdocs-material's instant navigation: a new page, the same document; nothing is asked.
    navigate(s, e, fx) {
      const was = s.enabled;
      s.enabled = e.enabled;
      s.consent = e.consent !== false;
      if (s.launcher) fx.push({ type: "launcher", visible: s.enabled });
      if (s.messenger === "none") return schedule(s, e.at, fx);
      if (!s.enabled) {
        if (was) {
          fx.push({ type: "hide" });
          update(s, { hide_default_launcher: true }, true, e.at, fx);
        }
      } else {
        const hidden = !!(s.config.settings?.hide_default_launcher || s.launcher);
        update(s, { hide_default_launcher: hidden }, !was, e.at, fx);
      }
    },

    // A launcher clicked (load: interaction), or the API's show().
    show(s, e, fx) {
      if (!s.enabled || !s.consent) return;
      if (e.click && !s.clicked) {
        s.clicked = true;
        fx.push({ type: "timer", name: "fallback", after: FALLBACK_DELAY, epoch: s.epoch });
      }
      if (s.messenger !== "none") return void fx.push({ type: "show" });
      if (s.phase === "started") {
        if (e.click && !s.asking) fx.push({ type: "fallback" });
        return;
      }
      s.openAfterBoot = true;
      start(s, e.at, fx);
    },

    // A hover or focus on a launcher (load: interaction): ask ahead of the click.
    intent(s, e, fx) {
      const early = s.early?.epoch === s.epoch && e.at - (s.early?.at || 0) <= PREFETCH_LIFE;
      if (s.phase === "waiting" && s.enabled && s.consent && !early) ask(s, fx);
    },

    refresh(s, _e, fx) {
      if (s.phase === "started" && s.config.signerUrl) ask(s, fx);
    },

    timer(s, e, fx) {
      if (e.name === "renew" && e.epoch === s.epoch && s.messenger === "user") ask(s, fx);
      if (e.name === "fallback" && s.widget !== "loaded") fx.push({ type: "fallback" });
    },

    widget(s, e, fx) {
      s.widget = e.loaded ? "loaded" : "failed";
      if (!e.loaded) {
        if (s.clicked) fx.push({ type: "fallback" });
        return;
      }
      if (!s.launcher) return;
      s.launcher = false;
      fx.push({ type: "launcher", remove: true });
      if (s.messenger !== "none" && s.enabled && !s.config.settings?.hide_default_launcher) {
        update(s, { hide_default_launcher: false }, true, e.at, fx);
      }
    },
  };

  /** The one place an epoch ends: the Messenger shuts down before anything else, and every
   * answer asked so far, or asked ahead, is dropped when it comes. @type {(s: State, fx: Effect[]) => void} */
  function newEpoch(s, fx) {
    if (s.messenger !== "none") fx.push({ type: "shutdown" });
    s.epoch++;
    s.messenger = "none";
    s.identity = null;
    s.asking = false;
    s.early = null;
    s.stale = 0;
  }

  /** @type {(s: State, fx: Effect[]) => void} */
  function signedOut(s, fx) {
    if (s.hint !== "anonymous") fx.push({ type: "remember", hint: (s.hint = "anonymous") });
  }

  /** @type {(s: State, at: number, fx: Effect[]) => void} */
  function schedule(s, at, fx) {
    if (s.phase !== "off" || !s.enabled || !s.consent) return;
    s.phase = "waiting";
    const load = s.config.load;
    if (load === "interaction") {
      if (!s.config.settings?.custom_launcher_selector && !s.config.settings?.hide_default_launcher) {
        s.launcher = true;
        fx.push({ type: "launcher", draw: true });
      }
    } else if (load === "eager" || s.parsed) {
      start(s, at, fx);
    } else if (s.config.signerUrl) {
      ask(s, fx); // idle: the identity now, the widget once the page is parsed
    }
  }

  /** @type {(s: State, at: number, fx: Effect[]) => void} */
  function start(s, at, fx) {
    if (s.phase === "started") return;
    s.phase = "started";
    // The widget downloads while the signer answers (it boots nobody by itself), except in a
    // tab whose last answer was a 401 on a site without visitors.
    if (s.config.visitors || s.hint !== "anonymous") wantWidget(s, fx);
    if (!s.config.signerUrl) return void apply(s, { kind: "anonymous" }, at, fx);
    const early = s.early;
    s.early = null;
    if (early?.epoch === s.epoch && at - (early?.at || 0) <= PREFETCH_LIFE) {
      apply(s, early.result, at, fx);
    } else ask(s, fx);
  }

  /** @type {(s: State, fx: Effect[]) => void} */
  function ask(s, fx) {
    if (s.asking) return;
    s.asking = true;
    fx.push({ type: "ask", epoch: s.epoch });
  }

  /** @type {(s: State, fx: Effect[]) => void} */
  function wantWidget(s, fx) {
    if (s.widget !== "none") return;
    s.widget = "loading";
    fx.push({ type: "loadWidget" });
  }

  /** What a current answer does. A change of reader, or a reader no longer vouched for,
   * shuts the Messenger down first (a new epoch), and the other tabs hear of it.
   * @type {(s: State, result: Result, at: number, fx: Effect[]) => void} */
  function apply(s, result, at, fx) {
    if (result.kind === "user") {
      const identity = result.identity;
      if (s.messenger === "user" && s.identity?.user_id === identity.user_id) {
        if (at >= s.renewAt) renew(s, identity, at, fx);
        return;
      }
      // This tab believed in somebody else, or in nobody: the other tabs ask again.
      const changed = s.messenger !== "none" || s.hint === "anonymous";
      if (s.messenger !== "none") newEpoch(s, fx);
      if (changed) fx.push({ type: "signal", message: "changed" });
      if (s.hint) fx.push({ type: "remember", hint: (s.hint = null) });
      return boot(s, identity, at, fx);
    }
    if (result.kind === "anonymous") {
      if (s.messenger === "user") {
        newEpoch(s, fx);
        fx.push({ type: "signal", message: "logout" });
      }
      if (s.config.signerUrl) signedOut(s, fx);
    } else if (s.messenger === "user" && /** @type {Identity} */ (s.identity).expires_at - MARGIN <= at / 1e3) {
      newEpoch(s, fx); // unavailable, and the identity it runs with is about to expire
    }
    if (s.messenger === "none") {
      if (s.config.visitors && s.enabled) boot(s, null, at, fx);
      else {
        s.openAfterBoot = false;
        if (s.launcher) {
          s.launcher = false;
          fx.push({ type: "launcher", remove: true });
        }
      }
    }
  }

  /** @type {(s: State, identity: Identity | null) => Record<string, any>} */
  function bootOptions(s, identity) {
    const c = s.config;
    /** @type {Record<string, any>} */
    const options = { ...c.settings, app_id: c.appId, api_base: c.apiBase };
    if (s.launcher || !s.enabled) options.hide_default_launcher = true;
    if (identity && c.verification === "jwt") {
      options.intercom_user_jwt = identity.intercom_user_jwt; // user_id, signed fields inside
    } else if (identity) {
      options.user_id = identity.user_id;
      options.user_hash = identity.user_hash;
      if (identity.name) options.name = identity.name;
      if (identity.email) options.email = identity.email;
    }
    return options;
  }

  /** @type {(s: State, identity: Identity | null, at: number, fx: Effect[]) => void} */
  function boot(s, identity, at, fx) {
    wantWidget(s, fx);
    fx.push({ type: "boot", options: bootOptions(s, identity) });
    s.messenger = identity ? "user" : "visitor";
    s.identity = identity;
    if (identity) scheduleRenewal(s, identity, at, fx);
    if (s.openAfterBoot) fx.push({ type: "show" });
    s.openAfterBoot = false;
  }

  /** The same reader, due for renewal: the Messenger gets the new JWT (a user_hash never changes).
   * @type {(s: State, identity: Identity, at: number, fx: Effect[]) => void} */
  function renew(s, identity, at, fx) {
    s.identity = identity;
    if (s.config.verification === "jwt") update(s, {}, true, at, fx);
    scheduleRenewal(s, identity, at, fx);
  }

  /** Every update of a JWT user carries the current JWT (Intercom refuses one without it).
   * Intercom drops updates beyond its budget: page views give way first, and a vital update
   * that still finds none left reboots the Messenger instead (a boot is not throttled).
   * @type {(s: State, changes: Record<string, any>, vital: boolean, at: number, fx: Effect[]) => void} */
  function update(s, changes, vital, at, fx) {
    s.updates = s.updates.filter((sent) => at - sent < UPDATE_WINDOW);
    if (s.updates.length < UPDATE_BUDGET - (vital ? 0 : UPDATE_RESERVE)) {
      s.updates = [...s.updates, at];
      const jwt = s.messenger === "user" && s.config.verification === "jwt";
      const signed = jwt ? { intercom_user_jwt: s.identity?.intercom_user_jwt } : {};
      fx.push({ type: "update", changes: { ...changes, ...signed } });
    } else if (vital) {
      fx.push({ type: "shutdown" }, { type: "boot", options: bootOptions(s, s.identity) });
    }
  }

  /** Ask again before the identity expires (at half time when short-lived); an answer that
   * buys no time, such as an expires_at already past, backs off.
   * @type {(s: State, identity: Identity, at: number, fx: Effect[]) => void} */
  function scheduleRenewal(s, identity, at, fx) {
    const left = identity.expires_at - at / 1e3;
    let wait = Math.min(Math.max(left - MARGIN, left / 2), 864e2);
    if (wait < BACKOFF_FIRST) wait = Math.min(BACKOFF_FIRST * 2 ** s.stale++, BACKOFF_LAST);
    else s.stale = 0;
    s.renewAt = at + wait * 1e3;
    fx.push({ type: "timer", name: "renew", after: wait * 1e3, epoch: s.epoch });
  }

  /** A 200 vouches for a reader only with an id, an expiry and the proof the page boots with.
   * @type {(body: any, jwt: boolean) => boolean} */
  function vouched(body, jwt) {
    const proof = body && body[jwt ? "intercom_user_jwt" : "user_hash"];
    return !!(proof && typeof proof === "string" && body.user_id && typeof body.user_id === "string")
      && typeof body.expires_at === "number";
  }

  /** The fallback link: https:, mailto: or a path of this site, whatever the page says. No
   * white space or backslash anywhere: URL parsers drop or turn them into `//elsewhere`.
   * @type {(raw: any) => boolean} */
  const safeLink = (raw) => /^(https:\/\/|mailto:|\/(?!\/))[^\s\\]*$/i.test(raw);

  // node --test: the machine alone (the minified build leaves this block out).
  // <node>
  if (typeof document === "undefined") {
    // @ts-ignore - CommonJS, for the tests
    module.exports = { transition, initial, vouched, safeLink, PREFETCH_LIFE };
    return;
  }
  // </node>

  // ---------------------------------------------------------------------------------------
  // The wiring: the browser's happenings become events, effects become calls.

  // A private mark, not `window.mkdocsIntercom`: page content with that id would set it.
  const MARK = Symbol.for("mkdocs-intercom");
  const w = /** @type {any} */ (window);
  const doc = document;
  if (w[MARK]) return; // instant navigation may append us again
  w[MARK] = true;

  /** @returns {Config | null} */
  const readConfig = () => {
    const meta = doc.head?.querySelector('meta[name="mkdocs-intercom"]');
    try {
      const config = meta && JSON.parse(/** @type {HTMLMetaElement} */ (meta).content);
      return config && typeof config.appId === "string" ? config : null;
    } catch {
      return null;
    }
  };
  const found = readConfig();
  if (!found) return;
  const config = found;

  const settings = config.settings || {};
  const LAUNCHER = "mkdocs-intercom-launcher";
  const launchers = `.${LAUNCHER}${settings.custom_launcher_selector ? `,${settings.custom_launcher_selector}` : ""}`;
  const hintKey = `mkdocs-intercom:${config.appId}`;
  const patience = (config.timeout || 5) * 1e3; // ms for the site's token hook, and for the signer
  const here = () => location.href.split("#")[0];
  /** @type {(fn: any) => boolean} page content can put an element where a hook should be */
  const callable = (fn) => typeof fn === "function" && !(fn instanceof Node);

  const storage = {
    /** @returns {"anonymous" | null} */
    read() {
      try {
        sessionStorage.removeItem(`${hintKey}:${config.signerUrl || ""}`); // where 0.1 kept an identity
        return sessionStorage.getItem(hintKey) === "anonymous" ? "anonymous" : null;
      } catch {
        return null;
      }
    },
    /** @param {string | null} hint */
    write(hint) {
      try {
        hint ? sessionStorage.setItem(hintKey, hint) : sessionStorage.removeItem(hintKey);
      } catch {}
    },
  };

  function consentGiven() {
    if (!config.consent) return true;
    try {
      const consent = callable(w.__md_get) && w.__md_get("__consent");
      return !!(consent && consent.intercom); // material reloads the page on a change
    } catch {
      return false;
    }
  }

  let state = initial(config, { consent: consentGiven(), hint: storage.read() });
  /** @type {Function[]} */
  const readyCallbacks = [];
  /** @type {Record<string, number>} */
  const timers = {};
  /** @type {any[][] | null} Intercom(...) calls made before the document was parsed */
  let calls = [];
  /** @type {HTMLButtonElement | null} */
  let facade = null;
  let fallbackShown = false;

  /** @param {string} type @param {Record<string, any>} [detail] */
  function dispatch(type, detail) {
    const result = transition(state, { ...detail, type, at: Date.now() });
    state = result.state;
    result.effects.forEach(run);
    if (state.phase !== "waiting" && !state.asking) readyCallbacks.splice(0).forEach(notify);
  }

  // Pages load us `async`, so we may run before the document is parsed: the signer and the
  // widget are asked at once, while Intercom's calls and what draws on the page wait for it.
  /** @param {any[]} args */
  const intercom = (...args) => (calls ? calls.push(args) : w.Intercom(...args));

  const channel = w.BroadcastChannel ? new BroadcastChannel(hintKey) : null;

  /** @type {Record<string, (effect: Effect) => void>} */
  const effects = {
    ask: ({ epoch }) => identify().then((result) => dispatch("answer", { epoch, result })),
    loadWidget,
    boot: ({ options }) => intercom("boot", options),
    shutdown: () => intercom("shutdown"),
    update: ({ changes }) => intercom("update", changes),
    show: () => intercom("show"),
    hide: () => intercom("hide"),
    signal: ({ message }) => channel && channel.postMessage(message),
    remember: ({ hint }) => storage.write(hint),
    timer: ({ name, after, epoch }) => {
      clearTimeout(timers[name]);
      timers[name] = setTimeout(() => dispatch("timer", { name, epoch }), after);
    },
    launcher: ({ draw, remove, visible }) => {
      if (draw) drawFacade();
      else if (facade && remove) (facade.remove(), (facade = null));
      else if (facade) facade.hidden = !visible;
    },
    fallback: offerFallback,
    forget,
  };
  /** @param {Effect} effect */
  const run = (effect) => effects[effect.type](effect);

  /** @returns {Promise<string | null>} a bearer token from the site's hook, bounded by `timeout` */
  async function bearer() {
    const hook = w.mkdocsIntercomAuth;
    if (!callable(hook)) return null;
    try {
      const token = await Promise.race([
        hook(),
        new Promise((resolve) => setTimeout(resolve, patience)),
      ]);
      return typeof token === "string" && token ? token : null;
    } catch {
      return null;
    }
  }

  /** @returns {Promise<Result>} */
  async function identify() {
    const url = new URL(/** @type {string} */ (config.signerUrl), location.href);
    for (let attempt = 0; ; attempt++) {
      try {
        const token = await bearer();
        const headers = token ? { Authorization: `Bearer ${token}` } : undefined;
        const response = await fetch(url, {
          credentials: "include",
          cache: "no-store",
          headers,
          signal: AbortSignal.timeout(patience),
        });
        if (response.status === 401 || response.status === 403) {
          if (state.hint !== "anonymous") console.info("mkdocs-intercom: 401 = signed out, as expected");
          return { kind: "anonymous" };
        }
        if (response.ok) {
          const body = await response.json();
          return vouched(body, config.verification === "jwt")
            ? { kind: "user", identity: body }
            : { kind: "unavailable" };
        }
        if (response.status < 500) return { kind: "unavailable" };
      } catch {} // network, timeout, junk: retry
      if (attempt >= 2) return { kind: "unavailable" };
      await new Promise((resolve) => setTimeout(resolve, [700, 2000][attempt]));
    }
  }

  function loadWidget() {
    if (!callable(w.Intercom)) {
      /** @type {any} */
      const stub = (/** @type {any[]} */ ...args) => stub.q.push(args);
      stub.q = [];
      stub.c = (/** @type {any} */ args) => stub.q.push(args);
      w.Intercom = stub;
    }
    const script = doc.createElement("script");
    script.async = true;
    script.src = /** @type {string} */ (config.widgetUrl); // the plugin resolves it, default included
    script.onload = () => dispatch("widget", { loaded: true });
    script.onerror = () => dispatch("widget", { loaded: false });
    doc.head.append(script);
  }

  // Intercom's own session cookie, where no widget ran to clear it at a logout.
  function forget() {
    const labels = location.hostname.split(".");
    // host-only, then each parent domain (Intercom sets it on the widest one it may)
    for (let i = -1; i < labels.length - 1; i++) {
      const domain = i < 0 ? "" : `;domain=${labels.slice(i).join(".")}`;
      doc.cookie = `intercom-session-${config.appId}=;path=/;max-age=0${domain}`;
    }
  }

  /** @param {Function} callback */
  const notify = (callback) => {
    try {
      callback(api.state);
    } catch (error) {
      console.error(error);
    }
  };

  const afterParsing = (/** @type {() => void} */ then) =>
    doc.readyState === "loading" ? doc.addEventListener("DOMContentLoaded", then) : then();

  // `load: interaction`: a light launcher; nothing from Intercom loads before the click.
  function drawFacade() {
    const button = (facade = doc.createElement("button"));
    button.type = "button";
    button.className = LAUNCHER;
    button.ariaLabel = "Open the Messenger";
    const side = settings.alignment === "left" ? "left" : "right";
    button.style.cssText =
      `position:fixed;bottom:${settings.vertical_padding ?? 20}px;${side}:${settings.horizontal_padding ?? 20}px;` +
      "width:48px;height:48px;border-radius:50%;border:0;cursor:pointer;z-index:2147483000;line-height:0;" +
      `box-shadow:0 2px 16px #0003;background:${settings.action_color || settings.background_color || "#1f8ded"}`;
    // A chat bubble drawn in CSS: no emoji font, no request, safe under Trusted Types.
    const bubble = button.appendChild(doc.createElement("i"));
    bubble.style.cssText = "display:inline-block;width:22px;height:17px;background:#fff;border-radius:6px 6px 6px 0";
    afterParsing(() => facade === button && doc.body.append(button));
  }

  function offerFallback() {
    const href = config.fallbackUrl;
    if (!safeLink(href) || fallbackShown) return;
    fallbackShown = true;
    const link = doc.createElement("a");
    link.href = /** @type {string} */ (href);
    link.className = "mkdocs-intercom-fallback";
    link.textContent = "Chat unavailable: contact support";
    link.style.cssText = "position:fixed;bottom:76px;right:20px;z-index:2147483000;background:#fff;padding:8px";
    doc.body.append(link); // after a click: the page is parsed
  }

  /** @param {MouseEvent} event */
  function onClick(event) {
    const target = /** @type {Element} */ (event.target);
    if (!target.closest) return;
    const link = /** @type {HTMLAnchorElement | null} */ (target.closest("[data-intercom-logout]"));
    if (link) {
      // A modified click opens a new tab or window: not a logout of this tab.
      if (event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      dispatch("logout", { leaving: !!link.href }); // before the browser follows the link
    } else if (config.load === "interaction" && target.closest(launchers)) {
      if (!state.enabled || !state.consent) return; // an excluded page: the site's own click
      event.preventDefault();
      dispatch("show", { click: true });
    }
  }

  /** @param {globalThis.Event} event */
  function onIntent(event) {
    const target = /** @type {Element} */ (event.target);
    if (config.load === "interaction" && target.closest && target.closest(launchers)) {
      dispatch("intent");
    }
  }

  const onFocus = () => dispatch("focus", { visible: !doc.hidden });

  const api = {
    show: () => dispatch("show"),
    hide: () => state.messenger !== "none" && intercom("hide"),
    logout: () => dispatch("logout"),
    refresh: () =>
      new Promise((resolve) => {
        dispatch("refresh");
        state.asking ? api.ready(resolve) : resolve(api.state);
      }),
    get state() {
      return { mode: state.messenger, userId: state.identity?.user_id || null, enabled: state.enabled };
    },
    // Called with the state once the loader has settled: started (or off on this page),
    // and no identity request under way.
    /** @param {Function} callback */
    ready(callback) {
      if (state.phase !== "waiting" && !state.asking) notify(callback);
      else readyCallbacks.push(callback);
    },
  };
  w.mkdocsIntercom = api;

  if (channel) channel.onmessage = ({ data }) => dispatch("peer", { message: data });
  addEventListener("focus", onFocus);
  doc.addEventListener("visibilitychange", onFocus);
  addEventListener("pageshow", (event) => dispatch("pageshow", { persisted: event.persisted }));
  doc.addEventListener("click", onClick);
  doc.addEventListener("pointerover", onIntent);
  doc.addEventListener("focusin", onIntent);
  dispatch("load", { parsed: doc.readyState !== "loading" });
  afterParsing(() => {
    /** @type {any[][]} */ (calls).forEach((args) => w.Intercom(...args));
    calls = null;
    dispatch("parsed", { consent: consentGiven() });
    const pages = w.document$;
    if (pages && typeof pages.subscribe === "function") {
      let current = here();
      pages.subscribe(() => {
        if (here() === current) return; // initial emission
        current = here();
        const next = readConfig();
        if (next) dispatch("navigate", { enabled: next.enabled !== false, consent: consentGiven() });
      });
    }
  });
})();

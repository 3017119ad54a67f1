/* mkdocs-intercom: boots Intercom's Messenger only with an identity the signer vouched for.
 * Settings come from <meta name="mkdocs-intercom">: no inline script, CSP-friendly.
 * This is the readable source; pages load loader.min.js, made from it by `make loader`.
 *
 * The rule: every identity request belongs to an epoch. Logout, shutdown and a change of
 * reader start a new one, and an answer from an older epoch is dropped: never booted, never
 * cached. `reconcile` is the one way to ask who the reader is, one request at a time. */
(() => {
  "use strict";
  if (window.mkdocsIntercom) return; // instant navigation may append us again

  const MARGIN = 60; // s: an identity this close to expires_at is not reused from the cache
  const RETRY_DELAYS = [700, 2000];
  const FOCUS_RECHECK = 30000;
  const BACKOFF_FIRST = 5; // s: an answer that buys no time is asked again after 5, 10, 20…
  const BACKOFF_LAST = 600; // …up to 10 minutes, never in a tight loop
  const UPDATE_BUDGET = 20; // Intercom drops 'update' beyond 20 per 30 minutes;
  const UPDATE_RESERVE = 6; // page views leave these to a renewed JWT and to hiding
  const UPDATE_WINDOW = 18e5;
  const FALLBACK_DELAY = 6000;
  const LAUNCHER = "mkdocs-intercom-launcher";

  const readConfig = () => {
    const meta = document.querySelector('meta[name="mkdocs-intercom"]');
    try {
      return meta ? JSON.parse(meta.content) : null;
    } catch {
      return null;
    }
  };
  const config = readConfig();
  if (!config) return;

  const settings = config.settings || {};
  const jwt = config.verification === "jwt";
  const cacheKey = `mkdocs-intercom:${config.appId}:${config.signerUrl || ""}`;
  const launchers = `.${LAUNCHER}${settings.custom_launcher_selector ? `,${settings.custom_launcher_selector}` : ""}`;

  // Everything the loader knows, in one place.
  const state = {
    mode: "none", // what the Messenger runs as: none | user | visitor
    identity: null, // the signer's answer the Messenger runs with
    enabled: config.enabled,
    scheduled: false,
    started: false,
    epoch: 0,
    queue: Promise.resolve(), // reconcile runs one at a time…
    waiting: null, // …and one not yet running takes in every call of its epoch
    busy: 0, // reconcile runs queued or running
    readyCallbacks: [],
    prefetched: null, // {epoch, answer}: asked ahead (idle, a hover), used by the start
    lastCheck: 0, // ms: when the signer last answered who the reader is
    renewAt: 0, // s: when the Messenger's identity is due for renewal
    stale: 0, // answers in a row that bought no time
    refreshTimer: 0,
    updates: [], // when each 'update' of the last 30 minutes was sent
    openAfterBoot: false,
    widget: null, // loading | loaded
    facade: null,
    fallback: null,
    fallbackTimer: 0, // set once a launcher was clicked
    calls: [], // Intercom(...) calls made before the document was parsed, null after
  };

  const now = () => Date.now() / 1000;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // Pages load us `async`, so we may run before the document is parsed: the signer and the
  // widget are asked at once, while Intercom's calls and what draws on the page wait for it.
  const intercom = (...args) => (state.calls ? state.calls.push(args) : window.Intercom(...args));
  const afterParsing = (then) =>
    document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", then) : then();
  const here = () => location.href.split("#")[0];
  const fresh = (identity) => identity.expires_at - MARGIN > now();

  // Other tabs of the origin hear "logout" and "changed", never who.
  const channel = window.BroadcastChannel ? new BroadcastChannel(cacheKey) : null;
  const signal = (message) => channel && channel.postMessage(message);

  // The tab's memory, in sessionStorage (never localStorage): {identity, page, checked, seen}.
  // `seen` ("user" or "anonymous", no identity) is the kind of reader this tab last saw.
  const readCache = () => {
    try {
      return JSON.parse(sessionStorage.getItem(cacheKey)) || {};
    } catch {
      return {};
    }
  };
  const writeCache = (entry) => {
    try {
      sessionStorage.setItem(cacheKey, JSON.stringify(entry));
    } catch {}
  };

  function valid(body) {
    if (!body || typeof body.user_id !== "string" || !body.user_id) return false;
    if (typeof body.expires_at !== "number") return false;
    const proof = jwt ? body.intercom_user_jwt : body.user_hash;
    return typeof proof === "string" && proof.length > 0;
  }

  // Reused only when coming from the page that last used it (not via a login elsewhere).
  function cachedIdentity() {
    const { identity, page, checked } = readCache();
    return page === document.referrer && valid(identity) && fresh(identity)
      ? { kind: "user", identity, checked }
      : null;
  }

  // → {kind: user | anonymous | unavailable, identity?, checked?: when the signer answered}
  async function fetchIdentity() {
    if (!config.signerUrl) return { kind: "anonymous" };
    const url = new URL(config.signerUrl, location.href);
    for (let attempt = 0; ; attempt++) {
      try {
        const headers = { Accept: "application/json" };
        const token = window.mkdocsIntercomAuth && (await window.mkdocsIntercomAuth());
        if (token) headers.Authorization = `Bearer ${token}`;
        const response = await fetch(url, {
          credentials: url.origin === location.origin ? "same-origin" : "include",
          cache: "no-store",
          headers,
          signal: AbortSignal.timeout((config.timeout || 5) * 1000),
        });
        const checked = Date.now();
        if (response.status === 401 || response.status === 403) {
          return { kind: "anonymous", checked };
        }
        if (response.ok) {
          const body = await response.json();
          return valid(body) ? { kind: "user", identity: body, checked } : { kind: "unavailable" };
        }
        if (response.status < 500) return { kind: "unavailable" };
      } catch {} // network, timeout, junk: retry
      if (attempt >= RETRY_DELAYS.length) return { kind: "unavailable" };
      await sleep(RETRY_DELAYS[attempt]);
    }
  }

  const identify = (useCache) => (useCache && cachedIdentity()) || fetchIdentity();

  // The one way to ask who the reader is: start, timer, focus, pageshow, the API, other tabs.
  // Runs one at a time; the answer counts only if the epoch it was asked in is still current.
  function reconcile(useCache, quiet) {
    const epoch = state.epoch;
    if (state.waiting && state.waiting.epoch === epoch) return state.waiting.run;
    const waiting = { epoch };
    state.busy++;
    state.waiting = waiting;
    waiting.run = state.queue = state.queue
      .then(async () => {
        if (state.waiting === waiting) state.waiting = null;
        if (epoch !== state.epoch) return;
        const { prefetched } = state;
        state.prefetched = null;
        const answer = await (prefetched && prefetched.epoch === epoch
          ? prefetched.answer
          : identify(useCache));
        if (epoch === state.epoch) apply(answer, quiet);
      })
      .catch((error) => console.error(error))
      .then(() => --state.busy || state.readyCallbacks.splice(0).forEach(notify));
    return waiting.run;
  }

  // What a current answer does. A change of reader, or a reader no longer vouched for, shuts
  // the Messenger down before anything else; other tabs hear of it, unless they told us.
  function apply({ kind, identity, checked }, quiet) {
    const memory = readCache();
    if (checked) state.lastCheck = checked;
    if (kind === "user") {
      const before = (state.identity || memory.identity || {}).user_id;
      if (!quiet && (memory.seen === "anonymous" || (before && before !== identity.user_id))) {
        signal("changed");
      }
      if (state.mode === "user" && before === identity.user_id) {
        if (now() >= state.renewAt) renew(identity);
      } else {
        if (state.mode !== "none") shutdown();
        boot(identity);
      }
      writeCache({ identity, page: here(), checked: state.lastCheck, seen: "user" });
      return;
    }
    if (kind === "anonymous") {
      if (!quiet && (state.mode === "user" || memory.seen === "user")) signal("logout");
      if (state.mode === "user") shutdown();
      writeCache({ seen: "anonymous" });
    } else if (state.mode === "user") {
      if (fresh(state.identity)) return; // a failed recheck keeps a fresh reader
      shutdown();
    }
    if (config.visitors && state.mode === "none") boot(null);
    else if (state.mode === "none") {
      state.openAfterBoot = false;
      removeFacade();
    }
  }

  function bootSettings(identity) {
    const boot = { ...settings, app_id: config.appId, api_base: config.apiBase };
    if (state.facade || !state.enabled) boot.hide_default_launcher = true;
    if (identity && jwt) {
      boot.intercom_user_jwt = identity.intercom_user_jwt; // user_id and signed fields inside only
    } else if (identity) {
      boot.user_id = identity.user_id;
      boot.user_hash = identity.user_hash;
      if (identity.name) boot.name = identity.name;
      if (identity.email) boot.email = identity.email;
    }
    return boot;
  }

  function boot(identity) {
    loadWidget();
    intercom("boot", bootSettings(identity));
    state.mode = identity ? "user" : "visitor";
    state.identity = identity;
    if (identity) scheduleRefresh(identity);
    if (state.openAfterBoot) intercom("show");
    state.openAfterBoot = false;
  }

  // The same reader, due for renewal: the Messenger gets the new JWT (a user_hash never changes).
  function renew(identity) {
    state.identity = identity;
    if (jwt) update({ intercom_user_jwt: identity.intercom_user_jwt }, true);
    scheduleRefresh(identity);
  }

  function shutdown() {
    state.epoch++;
    if (state.mode !== "none") intercom("shutdown");
    state.mode = "none";
    state.identity = null;
    state.stale = 0;
    clearTimeout(state.refreshTimer);
    writeCache({ seen: readCache().seen });
  }

  // Every tab of the origin shuts down; with visitors, this one goes on as a visitor.
  function logout(heard) {
    if (!heard) signal("logout");
    shutdown();
    if (config.visitors && state.started && state.enabled) boot(null);
  }

  // Intercom drops updates beyond its budget: page views give way first, and a vital update
  // that still finds none left reboots the Messenger instead (a boot is not throttled).
  function update(changes, vital) {
    const at = Date.now();
    state.updates = state.updates.filter((sent) => at - sent < UPDATE_WINDOW);
    if (state.updates.length < UPDATE_BUDGET - (vital ? 0 : UPDATE_RESERVE)) {
      state.updates.push(at);
      intercom("update", changes);
    } else if (vital) {
      intercom("shutdown");
      intercom("boot", bootSettings(state.identity));
    }
  }

  // Ask again before the identity expires (at half time when short-lived); an answer that
  // buys no time, such as an expires_at already past, backs off.
  function scheduleRefresh(identity) {
    clearTimeout(state.refreshTimer);
    const left = identity.expires_at - now();
    let wait = Math.min(Math.max(left - MARGIN, left / 2), 864e2);
    if (wait < BACKOFF_FIRST) wait = Math.min(BACKOFF_FIRST * 2 ** state.stale++, BACKOFF_LAST);
    else state.stale = 0;
    state.renewAt = now() + wait;
    state.refreshTimer = setTimeout(() => reconcile(), wait * 1e3);
  }

  function loadWidget() {
    if (state.widget) return;
    if (typeof window.Intercom !== "function") {
      const stub = (...args) => stub.q.push(args);
      stub.q = [];
      stub.c = (args) => stub.q.push(args);
      window.Intercom = stub;
    }
    const script = document.createElement("script");
    script.async = true;
    script.src =
      config.widgetUrl || `https://widget.intercom.io/widget/${encodeURIComponent(config.appId)}`;
    script.onload = () => {
      state.widget = "loaded";
      removeFacade();
    };
    script.onerror = () => state.fallbackTimer && offerFallback();
    document.head.appendChild(script);
    state.widget = "loading";
  }

  function start() {
    if (state.started) return;
    state.started = true;
    // The widget downloads while the signer answers (it boots nobody by itself), except in a
    // tab that got a 401 on a site without visitors.
    if (config.visitors || readCache().seen !== "anonymous") loadWidget();
    reconcile(true);
  }

  const notify = (callback) => {
    try {
      callback(api.state);
    } catch (error) {
      console.error(error);
    }
  };

  function consentGiven() {
    if (!config.consent) return true;
    try {
      const consent = window.__md_get && window.__md_get("__consent");
      return !!(consent && consent.intercom); // material reloads the page on a change
    } catch {
      return false;
    }
  }

  function schedule() {
    if (state.scheduled || !state.enabled || !consentGiven()) return;
    state.scheduled = true;
    if (config.load === "eager") start();
    else if (config.load === "interaction") drawFacade();
    else {
      // idle: the identity now, the widget once the page is parsed (its own scripts ran
      // first), ahead of the load event where Intercom's own snippet starts
      prefetch();
      afterParsing(start);
    }
  }

  function show() {
    if (!state.enabled || !consentGiven()) return;
    if (state.mode !== "none") return intercom("show");
    if (state.started) return;
    state.openAfterBoot = true;
    start();
  }

  // `load: interaction`: a light launcher; nothing from Intercom loads before the click.
  function drawFacade() {
    if (settings.custom_launcher_selector || settings.hide_default_launcher) return;
    const button = (state.facade = document.createElement("button"));
    button.type = "button";
    button.className = LAUNCHER;
    button.ariaLabel = "Open the Messenger";
    const side = settings.alignment === "left" ? "left" : "right";
    Object.assign(button.style, {
      position: "fixed",
      bottom: `${settings.vertical_padding ?? 20}px`,
      [side]: `${settings.horizontal_padding ?? 20}px`,
      width: "48px",
      height: "48px",
      borderRadius: "50%",
      border: "0",
      cursor: "pointer",
      zIndex: 2147483000,
      background: settings.action_color || settings.background_color || "#1f8ded",
      boxShadow: "0 2px 16px #0003",
      lineHeight: "0",
    });
    // A chat bubble drawn inline: no emoji font, no request, safe under Trusted Types.
    const svg = "http://www.w3.org/2000/svg";
    const icon = document.createElementNS(svg, "svg");
    const path = document.createElementNS(svg, "path");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("width", "24");
    icon.setAttribute("height", "24");
    icon.setAttribute("fill", "#fff");
    icon.setAttribute("aria-hidden", "true");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    icon.appendChild(path);
    button.appendChild(icon);
    afterParsing(() => document.body.appendChild(button));
  }

  function open(event) {
    if (!state.enabled || !consentGiven()) return; // an excluded page: the site's own click
    event.preventDefault();
    show();
    if (!state.fallbackTimer) {
      state.fallbackTimer = setTimeout(() => state.widget !== "loaded" && offerFallback(), FALLBACK_DELAY);
    }
    api.ready(() => state.mode === "none" && offerFallback());
  }

  function offerFallback() {
    if (!config.fallbackUrl || state.fallback) return;
    const link = (state.fallback = document.createElement("a"));
    link.href = config.fallbackUrl;
    link.className = "mkdocs-intercom-fallback";
    link.textContent = "Chat unavailable: contact support";
    Object.assign(link.style, { position: "fixed", bottom: "76px", right: "20px", zIndex: 2147483000, background: "#fff", padding: "8px" });
    document.body.appendChild(link);
  }

  function removeFacade() {
    if (!state.facade) return;
    state.facade.remove();
    state.facade = null;
    if (state.mode !== "none" && state.enabled && !settings.hide_default_launcher) {
      update({ hide_default_launcher: false }, true);
    }
  }

  // mkdocs-material's instant navigation: a new page without a new document.
  function onNavigate() {
    const next = readConfig();
    if (!next) return;
    const memory = readCache();
    if (memory.identity) writeCache({ ...memory, page: here() }); // the next full load may reuse it
    const was = state.enabled;
    state.enabled = next.enabled;
    if (state.facade) state.facade.style.display = state.enabled ? "" : "none";
    if (state.mode === "none") return schedule();
    if (!state.enabled) {
      if (was) {
        intercom("hide");
        update({ hide_default_launcher: true }, true);
      }
    } else {
      update({ hide_default_launcher: !!(settings.hide_default_launcher || state.facade) }, !was);
    }
  }

  function onFocus() {
    const due = Date.now() - state.lastCheck > FOCUS_RECHECK;
    if (state.started && !state.busy && due && document.visibilityState === "visible") reconcile();
  }

  function onClick(event) {
    const target = event.target;
    if (!target.closest) return;
    const link = target.closest("[data-intercom-logout]");
    if (link) {
      // A modified click opens a new tab or window: not a logout of this tab.
      if (event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      if (link.href) {
        signal("logout");
        shutdown(); // before the browser follows the link
      } else logout();
    } else if (config.load === "interaction" && target.closest(launchers)) open(event);
  }

  // Ask who the reader is ahead of the start: a few hundred bytes that hide the signer's
  // latency (a cold start included) behind the wait for idle, or for the click.
  function prefetch() {
    if (!state.started && !state.prefetched) {
      state.prefetched = { epoch: state.epoch, answer: identify(true) };
    }
  }

  function onIntent(event) {
    const launcher = event.target.closest && event.target.closest(launchers);
    if (launcher && config.load === "interaction" && state.enabled && consentGiven()) prefetch();
  }

  // Another tab saw a logout, or a new reader: shut down here too (then ask again).
  function onSignal({ data }) {
    if (data === "logout") return logout(true);
    if (state.mode === "user") shutdown();
    else state.epoch++;
    writeCache({});
    if (state.started) reconcile(false, true);
  }

  // Back from the back/forward cache: nothing shows until the signer names the reader again.
  function onPageShow(event) {
    if (!event.persisted || !state.started) return;
    shutdown();
    reconcile();
  }

  const api = {
    show,
    hide: () => state.mode !== "none" && intercom("hide"),
    logout: () => logout(),
    refresh: () => (state.started ? reconcile() : Promise.resolve()),
    get state() {
      return { mode: state.mode, userId: state.identity ? state.identity.user_id : null, enabled: state.enabled };
    },
    // Called with the state once the loader has started and no identity request is under way.
    ready(callback) {
      if (state.started && !state.busy) notify(callback);
      else state.readyCallbacks.push(callback);
    },
  };
  window.mkdocsIntercom = api;

  if (channel) channel.onmessage = onSignal;
  addEventListener("focus", onFocus);
  document.addEventListener("visibilitychange", onFocus);
  addEventListener("pageshow", onPageShow);
  document.addEventListener("click", onClick);
  document.addEventListener("pointerover", onIntent);
  document.addEventListener("focusin", onIntent);
  afterParsing(() => {
    state.calls.forEach((args) => window.Intercom(...args));
    state.calls = null;
    if (window.document$ && typeof window.document$.subscribe === "function") {
      let current = here();
      window.document$.subscribe(() => {
        if (here() === current) return; // initial emission
        current = here();
        onNavigate();
      });
    }
  });
  schedule();
})();

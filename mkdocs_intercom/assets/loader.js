/* mkdocs-intercom: boots Intercom's Messenger only with an identity the signer vouched for.
 * Settings come from <meta name="mkdocs-intercom">: no inline script, CSP-friendly. */
(() => {
  "use strict";
  if (window.mkdocsIntercom) return; // instant navigation may append us again

  const MARGIN = 60; // an identity this close (s) to expires_at counts as expired
  const RETRY_DELAYS = [700, 2000];
  const FOCUS_RECHECK = 30000;
  const UPDATE_BUDGET = 20; // Intercom throttles 'update' beyond 20 per 30 minutes
  const UPDATE_WINDOW = 18e5;
  const FALLBACK_DELAY = 6000;

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

  const cacheKey = `mkdocs-intercom:${config.appId}:${config.signerUrl || ""}`;
  const settings = config.settings || {};
  const state = { mode: "none", identity: null, enabled: config.enabled, started: false };
  const updates = [];
  const readyCallbacks = [];
  let widget = null;
  let refreshTimer = 0;
  let lastCheck = 0;
  let openAfterBoot = false;
  let facade = null;
  let settled = false;

  const now = () => Date.now() / 1000;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const intercom = (...args) => window.Intercom(...args);
  const fresh = (identity) => !!identity && identity.expires_at - MARGIN > now();

  // sessionStorage (per tab), never localStorage.
  const here = () => location.href.split("#")[0];
  const readCache = () => {
    try {
      return JSON.parse(sessionStorage.getItem(cacheKey)) || {};
    } catch {
      return {};
    }
  };
  const writeCache = (identity) => {
    try {
      sessionStorage.setItem(cacheKey, JSON.stringify({ identity, page: here() }));
    } catch {}
  };
  const clearCache = () => {
    try {
      sessionStorage.removeItem(cacheKey);
    } catch {}
  };

  // Reused only when coming from the page that last used it (not via a login).
  const cachedIdentity = () => {
    const { identity, page } = readCache();
    return page === document.referrer && valid(identity) && fresh(identity) ? identity : null;
  };

  function valid(body) {
    if (!body || typeof body.user_id !== "string" || !body.user_id) return false;
    if (typeof body.expires_at !== "number") return false;
    const proof = config.verification === "jwt" ? body.intercom_user_jwt : body.user_hash;
    return typeof proof === "string" && proof.length > 0;
  }

  // kind: user | anonymous | unavailable
  async function fetchIdentity() {
    if (!config.signerUrl) return { kind: "anonymous" };
    const url = new URL(config.signerUrl, location.href);
    const credentials = url.origin === location.origin ? "same-origin" : "include";
    for (let attempt = 0; ; attempt++) {
      try {
        const headers = { Accept: "application/json" };
        const token = window.mkdocsIntercomAuth && (await window.mkdocsIntercomAuth());
        if (token) headers.Authorization = `Bearer ${token}`;
        const response = await fetch(url, {
          credentials,
          cache: "no-store",
          headers,
          signal: AbortSignal.timeout((config.timeout || 5) * 1000),
        });
        if (response.status === 401 || response.status === 403) return { kind: "anonymous" };
        if (response.ok) {
          const body = await response.json();
          return valid(body) ? { kind: "user", identity: body } : { kind: "unavailable" };
        }
        if (response.status < 500) return { kind: "unavailable" };
      } catch {} // network, timeout, junk: retry
      if (attempt >= RETRY_DELAYS.length) return { kind: "unavailable" };
      await sleep(RETRY_DELAYS[attempt]);
    }
  }

  async function currentIdentity(useCache) {
    const cached = useCache && cachedIdentity();
    lastCheck = Date.now();
    return cached ? { kind: "user", identity: cached } : fetchIdentity();
  }

  function loadWidget() {
    if (widget) return widget;
    if (typeof window.Intercom !== "function") {
      const stub = (...args) => stub.q.push(args);
      stub.q = [];
      stub.c = (args) => stub.q.push(args);
      window.Intercom = stub;
    }
    widget = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.async = true;
      script.src =
        config.widgetUrl || `https://widget.intercom.io/widget/${encodeURIComponent(config.appId)}`;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
    widget.then(removeFacade, () => {});
    return widget;
  }

  function bootSettings(identity) {
    const boot = { ...settings, app_id: config.appId, api_base: config.apiBase };
    if (facade || !state.enabled) boot.hide_default_launcher = true;
    if (identity) {
      boot.user_id = identity.user_id;
      if (config.verification === "jwt") boot.intercom_user_jwt = identity.intercom_user_jwt;
      else boot.user_hash = identity.user_hash;
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
    if (openAfterBoot) intercom("show");
    openAfterBoot = false;
  }

  function shutdown() {
    if (state.mode !== "none") intercom("shutdown");
    state.mode = "none";
    state.identity = null;
    clearTimeout(refreshTimer);
    clearCache();
  }

  function update(changes) {
    const at = Date.now();
    while (updates.length && at - updates[0] > UPDATE_WINDOW) updates.shift();
    if (updates.length >= UPDATE_BUDGET) return;
    updates.push(at);
    intercom("update", changes);
  }

  // A change of reader, or a reader no longer vouched for, shuts down before anything else.
  function reconcile(result) {
    if (result.kind === "user") {
      const identity = result.identity;
      if (state.mode === "user" && state.identity.user_id === identity.user_id) {
        if (config.verification === "jwt") update({ intercom_user_jwt: identity.intercom_user_jwt });
        state.identity = identity;
        writeCache(identity);
        scheduleRefresh(identity);
        return;
      }
      shutdown();
      writeCache(identity);
      boot(identity);
      return;
    }
    // a failed recheck keeps a fresh reader: the refresh timer decides
    if (state.mode === "user" && result.kind === "unavailable" && fresh(state.identity)) return;
    if (state.mode === "user") shutdown();
    if (result.kind === "anonymous") clearCache();
    if (config.visitors && state.mode === "none") boot(null);
    else if (facade && state.mode === "none") removeFacade();
  }

  function scheduleRefresh(identity) {
    clearTimeout(refreshTimer);
    const left = identity.expires_at - now(); // short-lived: at half time
    refreshTimer = setTimeout(refresh, Math.min(Math.max(left - MARGIN, left / 2, 5), 864e2) * 1e3);
  }

  async function refresh() {
    reconcile(await currentIdentity(false));
  }

  async function start(pending) {
    if (state.started) return;
    state.started = true;
    reconcile(await (pending || currentIdentity(true)));
    settled = true;
    readyCallbacks.splice(0).forEach(notify);
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
    if (!state.enabled || !consentGiven() || state.started) return;
    if (config.load === "eager") start();
    else if (config.load === "interaction") drawFacade();
    else if ("requestIdleCallback" in window) requestIdleCallback(() => start(), { timeout: 4000 });
    else setTimeout(() => start(), 1500);
  }

  // A light launcher: nothing from Intercom loads before the click.
  function drawFacade() {
    let prefetched = null;
    const prefetch = () => (prefetched = prefetched || currentIdentity(true));
    const open = async (event) => {
      event.preventDefault();
      openAfterBoot = true;
      await start(prefetch());
      if (state.mode === "none") return offerFallback();
      setTimeout(() => facade && offerFallback(), FALLBACK_DELAY);
    };
    const targets = settings.custom_launcher_selector
      ? [...document.querySelectorAll(settings.custom_launcher_selector)]
      : settings.hide_default_launcher
        ? []
        : [makeLauncher()];
    for (const target of targets) {
      target.addEventListener("pointerenter", prefetch, { once: true });
      target.addEventListener("focus", prefetch, { once: true });
      target.addEventListener("click", open);
    }
  }

  function makeLauncher() {
    facade = document.createElement("button");
    facade.type = "button";
    facade.className = "mkdocs-intercom-launcher";
    facade.ariaLabel = "Open the Messenger";
    const side = settings.alignment === "left" ? "left" : "right";
    Object.assign(facade.style, {
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
      color: "#fff",
      font: "20px/48px sans-serif",
    });
    facade.textContent = "💬";
    document.body.appendChild(facade);
    return facade;
  }

  function offerFallback() {
    if (!config.fallbackUrl) return;
    const link = document.createElement("a");
    link.href = config.fallbackUrl;
    link.className = "mkdocs-intercom-fallback";
    link.textContent = "Chat unavailable: contact support";
    Object.assign(link.style, { position: "fixed", bottom: "76px", right: "20px", zIndex: 2147483000, background: "#fff", padding: "8px" });
    document.body.appendChild(link);
  }

  function removeFacade() {
    if (!facade) return;
    facade.remove();
    facade = null;
    if (state.mode !== "none" && state.enabled && !settings.hide_default_launcher) {
      update({ hide_default_launcher: false });
    }
  }

  function onNavigate() {
    const next = readConfig();
    if (!next) return;
    if (state.identity) writeCache(state.identity);
    state.enabled = next.enabled;
    if (state.mode === "none") return schedule();
    if (!state.enabled) {
      intercom("hide");
      update({ hide_default_launcher: true });
    } else {
      update({ hide_default_launcher: !!settings.hide_default_launcher || !!facade });
    }
  }

  function onFocus() {
    if (state.started && document.visibilityState === "visible" && Date.now() - lastCheck > FOCUS_RECHECK) {
      refresh();
    }
  }

  function logout() {
    shutdown();
    if (config.visitors && state.started) boot(null);
  }

  window.addEventListener("focus", onFocus);
  document.addEventListener("visibilitychange", onFocus);
  window.addEventListener("pageshow", (event) => event.persisted && state.started && refresh());
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[data-intercom-logout]");
    if (!link) return;
    if (!link.href) return logout();
    event.preventDefault();
    shutdown();
    location.href = link.href; // after the shutdown
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    let current = here();
    window.document$.subscribe(() => {
      if (here() === current) return; // initial emission
      current = here();
      onNavigate();
    });
  }

  const api = {
    show: () => (state.started ? state.mode !== "none" && intercom("show") : ((openAfterBoot = true), start())),
    hide: () => state.mode !== "none" && intercom("hide"),
    logout,
    refresh,
    get state() {
      return { mode: state.mode, userId: state.identity ? state.identity.user_id : null, enabled: state.enabled };
    },
    ready(callback) {
      if (settled) notify(callback);
      else readyCallbacks.push(callback);
    },
  };
  window.mkdocsIntercom = api;
  schedule();
})();

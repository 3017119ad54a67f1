/* The sandbox Messenger: a local stand-in for Intercom's widget. Every Intercom(...) call
 * goes to the sandbox server, which checks identity verification with the secret and
 * records the call; a failed check is answered with Intercom's 403 and no Messenger.
 *
 * The panel shows what Intercom would know of the reader: who, how the identity was
 * verified (JWT with its expiry, or the HMAC user_hash), the signed fields, and any
 * plaintext attribute that contradicts a signed one. It says plainly that it is a sandbox.
 *
 * Intercom's rules for 'update', enforced as Intercom would: the server refuses (403) an update
 * of a JWT Messenger without a valid JWT of its user, and any update that changes who the
 * reader is; this script drops updates beyond 20 in 30 minutes of this page load, as
 * Intercom's widget throttles them. Both show: a console warning, a count on the launcher and
 * in the panel, and a record on the server (`refused`, `dropped`). */
(() => {
  "use strict";
  const source = new URL(document.currentScript.src);
  const appId = decodeURIComponent(source.pathname.split("/").pop());
  const api = `${source.origin}${source.pathname.replace(/\/widget\/[^/]+$/, "")}/api/${encodeURIComponent(appId)}/messenger`;
  const queued = (window.Intercom && window.Intercom.q) || [];
  const pageStarted = performance.timeOrigin;
  let seq = 0;
  let chain = Promise.resolve();
  // "up to 20 times per 30 minutes [...] Reloading the page will refresh this state"
  const UPDATE_BUDGET = 20;
  const UPDATE_WINDOW = 30 * 60 * 1000;
  const updatesSent = []; // when each update that went to Intercom was sent (the page's clock)
  // Who the Messenger was booted as, in call order: the identity settings of the boot in
  // effect, null after a shutdown. Sent with each update, so that the server judges it against
  // the right boot whichever request reaches it first.
  let booted = null;
  // window.__intercomSandbox: {booted, verified, user, open, error, hideLauncher, verification,
  //   refused, dropped: updates Intercom refused (403) and updates throttled in the page}
  const state = {
    booted: false, verified: null, user: null, error: null, open: false, hideLauncher: false, verification: null,
    refused: 0, dropped: 0,
  };
  const listeners = { show: [], hide: [], unread: [] };
  const ui = { launcher: null, panel: null, refusal: null, countdown: null, timer: 0, conflicts: [] };

  function send(command, args, extra) {
    const body = JSON.stringify({ command, args: args === undefined ? null : args, page: location.href, pageStarted, seq: seq++, ...extra });
    return fetch(api, { method: "POST", body, keepalive: true, headers: { "Content-Type": "text/plain" } }).then(
      async (response) => ({ status: response.status, answer: await response.json() }),
    );
  }

  // -- drawing ------------------------------------------------------------------------

  const STYLE = `
    #intercom-sandbox-launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;
      background:#5b21b6;color:#fff;cursor:pointer;z-index:2147483001;line-height:0;box-shadow:0 4px 16px rgba(0,0,0,.25)}
    #intercom-sandbox-launcher:focus-visible,.ics-close:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
    #intercom-sandbox-panel{position:fixed;right:20px;bottom:88px;width:360px;max-width:calc(100vw - 40px);
      max-height:calc(100vh - 108px);overflow:auto;border-radius:16px;background:#fff;color:#1f2937;
      font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;box-shadow:0 5px 40px rgba(0,0,0,.2);z-index:2147483001}
    .ics-head{background:#5b21b6;color:#fff;padding:16px 16px 14px;border-radius:16px 16px 0 0}
    .ics-title{display:flex;align-items:center;gap:8px;margin:0;font-size:16px;font-weight:600}
    .ics-badge{font-size:11px;font-weight:700;letter-spacing:.04em;background:#fde68a;color:#78350f;border-radius:999px;padding:2px 8px}
    .ics-close{margin-left:auto;background:transparent;border:0;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:2px 6px;border-radius:6px}
    .ics-sub{margin:6px 0 0;font-size:13px;color:#ede9fe}
    .ics-body{padding:14px 16px 16px;display:grid;gap:12px}
    .ics-who{display:flex;gap:12px;align-items:center}
    .ics-avatar{flex:none;width:40px;height:40px;border-radius:50%;background:#ede9fe;color:#4c1d95;display:grid;place-items:center;font-weight:700}
    .ics-name{font-weight:600;margin:0}
    .ics-ids{margin:0;font-size:13px;color:#4b5563;overflow-wrap:anywhere}
    .ics-status{margin:0;padding:8px 10px;border-radius:8px;background:#ecfdf5;color:#065f46;font-weight:600}
    .ics-status[data-tone=visitor]{background:#f3f4f6;color:#374151}
    .ics-facts{margin:0;display:grid;grid-template-columns:auto 1fr;gap:4px 12px;font-size:13px}
    .ics-facts dt{color:#4b5563}
    .ics-facts dd{margin:0;overflow-wrap:anywhere}
    .ics-fields{margin:0;padding:0;list-style:none;display:grid;gap:2px}
    .ics-fields code{font:12px ui-monospace,monospace;background:#f3f4f6;border-radius:4px;padding:0 4px}
    .ics-warn{margin:0;padding:8px 10px;border-radius:8px;background:#fffbeb;color:#78350f;border:1px solid #f59e0b}
    .ics-note{margin:0;font-size:12px;color:#4b5563;border-top:1px solid #e5e7eb;padding-top:10px}
    #intercom-sandbox-launcher[data-rejected]::after{content:attr(data-rejected);position:absolute;top:-4px;right:-4px;
      min-width:20px;height:20px;border-radius:10px;background:#b91c1c;color:#fff;font:700 12px/20px system-ui,sans-serif}
    .ics-rejected{margin:0;padding:8px 10px;border-radius:8px;background:#fef2f2;color:#7f1d1d;border:1px solid #b91c1c}
    #intercom-sandbox-refusal{position:fixed;right:20px;bottom:20px;width:340px;max-width:calc(100vw - 40px);z-index:2147483001;
      background:#fff;color:#7f1d1d;border:2px solid #b91c1c;border-radius:12px;padding:12px 14px;
      font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;box-shadow:0 5px 30px rgba(0,0,0,.18)}
    #intercom-sandbox-refusal strong{display:block;margin-bottom:4px}
    #intercom-sandbox-refusal p{margin:0}`;

  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  function ensureStyle() {
    if (document.getElementById("intercom-sandbox-style")) return;
    document.head.append(element("style", { id: "intercom-sandbox-style", text: STYLE }));
  }

  const BUBBLE =
    '<svg viewBox="0 0 24 24" width="26" height="26" fill="#fff" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';
  const CHEVRON =
    '<svg viewBox="0 0 24 24" width="26" height="26" fill="none" stroke="#fff" stroke-width="2.5" aria-hidden="true"><path d="M6 9l6 6 6-6"/></svg>';

  function draw() {
    if (!state.booted) {
      for (const node of [ui.launcher, ui.panel]) if (node) node.remove();
      ui.launcher = ui.panel = null;
      stopCountdown();
      return;
    }
    ensureStyle();
    if (!ui.launcher) {
      ui.launcher = element("button", { id: "intercom-sandbox-launcher", type: "button", "aria-controls": "intercom-sandbox-panel" });
      ui.launcher.addEventListener("click", () => Intercom(state.open ? "hide" : "show"));
      document.body.append(ui.launcher);
    }
    ui.launcher.style.display = state.hideLauncher ? "none" : "block";
    ui.launcher.innerHTML = state.open ? CHEVRON : BUBBLE;
    ui.launcher.setAttribute("aria-label", state.open ? "Close the sandbox Messenger" : "Open the sandbox Messenger");
    ui.launcher.setAttribute("aria-expanded", String(state.open));
    const rejected = state.refused + state.dropped;
    if (rejected) ui.launcher.dataset.rejected = String(rejected);
    else delete ui.launcher.dataset.rejected;
    if (!ui.panel) {
      ui.panel = element("section", { id: "intercom-sandbox-panel", role: "dialog", "aria-label": "Sandbox Messenger" });
      ui.panel.addEventListener("keydown", (event) => event.key === "Escape" && Intercom("hide"));
      document.body.append(ui.panel);
    }
    ui.panel.hidden = !state.open;
    ui.panel.dataset.verified = String(state.verified);
    ui.panel.dataset.userId = state.user ? state.user.user_id || "" : "";
    ui.panel.dataset.method = (state.verification && state.verification.method) || "";
    ui.panel.replaceChildren(header(), body());
    state.open && state.verification && state.verification.expiresAt ? startCountdown() : stopCountdown();
  }

  function header() {
    const close = element("button", { class: "ics-close", type: "button", "aria-label": "Close the sandbox Messenger", text: "×" });
    close.addEventListener("click", () => Intercom("hide"));
    return element(
      "header",
      { class: "ics-head" },
      element("h2", { class: "ics-title" }, "Sandbox Messenger", element("span", { class: "ics-badge", text: "SANDBOX" }), close),
      element("p", { class: "ics-sub", text: "A local stand-in for Intercom: it checks signatures as Intercom does. Nothing leaves this machine." }),
    );
  }

  function body() {
    const user = state.user;
    const verification = state.verification || {};
    if (!user || !user.user_id) {
      return element(
        "div",
        { class: "ics-body" },
        element("p", { class: "ics-status", "data-tone": "visitor", text: "Visitor (anonymous)" }),
        element("p", { class: "ics-ids", text: "No identity was sent: Intercom would treat this reader as an anonymous visitor." }),
        rejections(),
        note(),
      );
    }
    const name = user.name || user.user_id;
    const initials = String(name).split(/\s+/).map((part) => part.charAt(0)).join("").slice(0, 2).toUpperCase();
    const ids = [`user_id ${user.user_id}`, user.email].filter(Boolean).join(" · ");
    const facts = element("dl", { class: "ics-facts" });
    const fact = (term, ...value) => facts.append(element("dt", { text: term }), element("dd", {}, ...value));
    if (verification.method === "jwt") {
      fact("Verified by", "JWT (intercom_user_jwt, HS256)");
      ui.countdown = element("span", { "data-exp": String(verification.expiresAt || "") });
      fact("Expires", verification.expiresAt ? ui.countdown : "never (no exp claim: Intercom accepts it, but set one)");
      if (verification.expiresAt) tick();
    } else {
      fact("Verified by", "HMAC user_hash (deprecated by Intercom; JWT is recommended)");
    }
    const signed = Object.entries(verification.signed || {});
    fact(
      "Signed fields",
      signed.length
        ? element("ul", { class: "ics-fields" }, ...signed.map(([key, value]) => element("li", {}, element("code", { text: key }), ` ${display(value)}`)))
        : verification.method === "jwt" ? "none besides user_id" : "none: a user_hash signs only the user_id",
    );
    const conflicts = ui.conflicts.map(({ key, plaintext, signed: value }) =>
      element("p", { class: "ics-warn", role: "status" }, `⚠ Plaintext ${key} ${display(plaintext)} contradicts the signed ${display(value)}: only the signed value can be trusted.`),
    );
    return element(
      "div",
      { class: "ics-body" },
      element(
        "div",
        { class: "ics-who" },
        element("span", { class: "ics-avatar", "aria-hidden": "true", text: initials }),
        element("div", {}, element("p", { class: "ics-name", text: name }), element("p", { class: "ics-ids", text: ids })),
      ),
      element("p", { class: "ics-status", text: `✓ Verified: ${name} (user_id ${user.user_id})` }),
      facts,
      ...conflicts,
      rejections(),
      note(),
    );
  }

  // Updates Intercom would not have taken: refused with a 403, or dropped by the throttle.
  function rejections() {
    if (!state.refused && !state.dropped) return null;
    const parts = [];
    if (state.refused) parts.push(`${state.refused} refused by Intercom (last: ${state.error})`);
    if (state.dropped) parts.push(`${state.dropped} dropped: over 20 in 30 minutes`);
    return element("p", { class: "ics-rejected", role: "status", text: `✗ Updates not applied: ${parts.join("; ")}.` });
  }

  function note() {
    return element("p", { class: "ics-note", text: "In Intercom's Messenger this is where the reader's conversations would be." });
  }

  function display(value) {
    return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
  }

  function tick() {
    if (!ui.countdown) return;
    const left = Number(ui.countdown.dataset.exp) - Math.floor(Date.now() / 1000);
    if (left <= 0) {
      ui.countdown.textContent = "expired: Intercom no longer accepts this token";
      return;
    }
    const hours = Math.floor(left / 3600);
    const minutes = String(Math.floor((left % 3600) / 60)).padStart(hours ? 2 : 1, "0");
    const seconds = String(left % 60).padStart(2, "0");
    ui.countdown.textContent = `in ${hours ? `${hours}:` : ""}${minutes}:${seconds}`;
  }

  function startCountdown() {
    if (!ui.timer) ui.timer = setInterval(tick, 1000);
  }

  function stopCountdown() {
    clearInterval(ui.timer);
    ui.timer = 0;
  }

  function refuse(message) {
    ensureStyle();
    if (!ui.refusal) {
      ui.refusal = element("div", { id: "intercom-sandbox-refusal", role: "alert" });
      document.body.append(ui.refusal);
    }
    ui.refusal.replaceChildren(
      element("strong", { text: "Sandbox Messenger: Intercom would refuse this reader" }),
      element("p", { text: `${message}. No Messenger is shown, as with Intercom's 403.` }),
    );
  }

  function clearRefusal() {
    if (ui.refusal) ui.refusal.remove();
    ui.refusal = null;
  }

  // -- commands -----------------------------------------------------------------------

  function setOpen(open) {
    if (!state.booted || state.open === open) return;
    state.open = open;
    draw();
    for (const callback of open ? listeners.show : listeners.hide) callback();
  }

  function apply(command, args, { status, answer }) {
    switch (command) {
      case "boot":
      case "update": {
        if (command === "update" && !state.booted) return;
        if (status !== 200 && command === "update") {
          // Like Intercom's 403 to an update: the Messenger runs on, without this update.
          const message = answer.errors && answer.errors[0] ? answer.errors[0].message : "error";
          console.warn(`[Intercom] ${status} Forbidden: update refused: ${message}`);
          state.refused++;
          state.error = message;
          return draw();
        }
        if (status !== 200) {
          const message = answer.errors && answer.errors[0] ? answer.errors[0].message : "error";
          console.error(`[Intercom] ${status} Forbidden: ${message}`);
          state.error = message;
          if (command === "boot") Object.assign(state, { booted: false, verified: false, user: null, open: false, verification: null });
          refuse(message);
          return draw();
        }
        const settings = args || {};
        const verification = answer.verification || {};
        if (command === "boot") Object.assign(state, { booted: true, user: null, open: false, error: null, verification: null });
        clearRefusal();
        if ("hide_default_launcher" in settings) state.hideLauncher = !!settings.hide_default_launcher;
        if (verification.user) {
          const signed = verification.signed || {};
          state.user = { user_id: verification.user, name: signed.name || settings.name, email: signed.email || settings.email };
          ui.conflicts = (verification.conflicts || []).map((key) => ({ key, plaintext: settings[key], signed: signed[key] }));
          state.verified = true;
          state.verification = verification;
        } else if (command === "boot") state.verified = null;
        return draw();
      }
      case "shutdown":
        Object.assign(state, { booted: false, verified: null, user: null, open: false, hideLauncher: false, verification: null });
        clearRefusal();
        return draw();
      case "show":
      case "showMessages":
      case "showNewMessage":
        return setOpen(true);
      case "hide":
        return setOpen(false);
    }
  }

  // True when this update is over Intercom's budget: at most 20 in any 30 minutes.
  function throttled() {
    const at = Date.now();
    while (updatesSent.length && at - updatesSent[0] >= UPDATE_WINDOW) updatesSent.shift();
    if (updatesSent.length >= UPDATE_BUDGET) return true;
    updatesSent.push(at);
    return false;
  }

  function identityOf(settings) {
    const identity = {};
    for (const name of ["intercom_user_jwt", "user_id", "user_hash", "email"]) {
      if (settings && settings[name] !== undefined && settings[name] !== null) identity[name] = settings[name];
    }
    return identity;
  }

  function Intercom(command, ...args) {
    const settings = typeof args[0] === "function" ? null : args[0];
    if (command === "update" && throttled()) {
      // Intercom's widget drops it in the page; the sandbox still reports it, marked.
      send(command, settings, { dropped: true, booted }).catch((error) => console.error("[Intercom sandbox]", error));
      console.warn("[Intercom] update dropped: over 20 updates in 30 minutes on this page");
      state.dropped++;
      chain = chain.then(draw);
      return undefined;
    }
    // Reported the moment it is made (a shutdown must not wait behind a slow boot, as the
    // page may be leaving); the answers are then applied in call order.
    const sent = send(command, settings, command === "update" ? { booted } : {});
    if (command === "boot") booted = identityOf(settings);
    if (command === "shutdown") booted = null;
    if (command === "onShow") return void listeners.show.push(args[0]);
    if (command === "onHide") return void listeners.hide.push(args[0]);
    if (command === "onUnreadCountChange") return void listeners.unread.push(args[0]);
    if (command === "getVisitorId") return "sandbox-visitor";
    chain = chain
      .then(() => sent)
      .then((result) => apply(command, args[0], result))
      .catch((error) => console.error("[Intercom sandbox]", error));
    return undefined;
  }

  window.Intercom = Intercom;
  window.__intercomSandbox = state;
  for (const args of queued) Intercom(...args);
})();

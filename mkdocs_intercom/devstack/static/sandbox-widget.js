/* The sandbox Messenger: a local stand-in for Intercom's widget. Every Intercom(...) call
 * goes to the sandbox server, which checks identity verification with the secret and
 * records the call; a failed check is answered with Intercom's 403 and no Messenger. */
(() => {
  "use strict";
  const source = new URL(document.currentScript.src);
  const appId = decodeURIComponent(source.pathname.split("/").pop());
  const api = `${source.origin}${source.pathname.replace(/\/widget\/[^/]+$/, "")}/api/${encodeURIComponent(appId)}/messenger`;
  const queued = (window.Intercom && window.Intercom.q) || [];
  const pageStarted = performance.timeOrigin;
  let seq = 0;
  let chain = Promise.resolve();
  const state = { booted: false, verified: null, user: null, error: null, open: false, hideLauncher: false };
  const listeners = { show: [], hide: [], unread: [] };
  let launcher = null;
  let panel = null;

  function send(command, args) {
    const body = JSON.stringify({ command, args: args === undefined ? null : args, page: location.href, pageStarted, seq: seq++ });
    return fetch(api, { method: "POST", body, keepalive: true, headers: { "Content-Type": "text/plain" } }).then(
      async (response) => ({ status: response.status, answer: await response.json() }),
    );
  }

  function draw() {
    if (!state.booted) return removeAll();
    if (!launcher) {
      launcher = document.createElement("button");
      launcher.id = "intercom-sandbox-launcher";
      launcher.type = "button";
      launcher.innerHTML =
        '<svg viewBox="0 0 24 24" width="24" height="24" fill="#fff" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';
      launcher.style.lineHeight = "0";
      launcher.setAttribute("aria-label", "Open the sandbox Messenger");
      Object.assign(launcher.style, { position: "fixed", right: "20px", bottom: "20px", width: "48px", height: "48px", borderRadius: "50%", border: "0", background: "#6b46c1", color: "#fff", fontSize: "20px", cursor: "pointer", zIndex: "2147483001" });
      launcher.addEventListener("click", () => Intercom(state.open ? "hide" : "show"));
      document.body.appendChild(launcher);
    }
    launcher.style.display = state.hideLauncher ? "none" : "block";
    if (!panel) {
      panel = document.createElement("div");
      panel.id = "intercom-sandbox-panel";
      Object.assign(panel.style, { position: "fixed", right: "20px", bottom: "80px", width: "300px", padding: "16px", borderRadius: "12px", background: "#fff", color: "#222", font: "14px/1.4 system-ui, sans-serif", boxShadow: "0 5px 40px rgba(0,0,0,.16)", zIndex: "2147483001" });
      document.body.appendChild(panel);
    }
    panel.style.display = state.open ? "block" : "none";
    panel.dataset.verified = String(state.verified);
    panel.dataset.userId = state.user ? state.user.user_id || "" : "";
    const who = state.user && state.user.user_id
      ? `Verified: ${state.user.name || state.user.user_id} (user_id ${state.user.user_id}) ✓`
      : "Visitor (anonymous)";
    panel.textContent = `Sandbox Messenger — ${who}`;
  }

  function removeAll() {
    for (const el of [launcher, panel]) if (el) el.remove();
    launcher = panel = null;
  }

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
        if (status !== 200) {
          const message = answer.errors && answer.errors[0] ? answer.errors[0].message : "error";
          console.error(`[Intercom] ${status} Forbidden: ${message}`);
          state.error = message;
          if (command === "boot") Object.assign(state, { booted: false, verified: false, user: null });
          return draw();
        }
        const settings = args || {};
        if (command === "boot") Object.assign(state, { booted: true, user: null, open: false, error: null });
        if ("hide_default_launcher" in settings) state.hideLauncher = !!settings.hide_default_launcher;
        if (settings.user_id || settings.intercom_user_jwt) {
          state.user = { user_id: settings.user_id, name: settings.name, email: settings.email };
          state.verified = true;
        } else if (command === "boot") state.verified = null;
        return draw();
      }
      case "shutdown":
        Object.assign(state, { booted: false, verified: null, user: null, open: false, hideLauncher: false });
        return draw();
      case "show":
      case "showMessages":
      case "showNewMessage":
        return setOpen(true);
      case "hide":
        return setOpen(false);
    }
  }

  function Intercom(command, ...args) {
    // Reported the moment it is made (a shutdown must not wait behind a slow boot, as the
    // page may be leaving); the answers are then applied in call order.
    const sent = send(command, typeof args[0] === "function" ? null : args[0]);
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

/* The local preview's sign-in bar (`mkdocs-intercom serve`): who the development identity
 * provider says is signed in, with a link to sign in as a sample reader or to sign out. It
 * lives outside the page's own content, at the bottom left, so any theme and mkdocs-material's
 * instant navigation leave it be. The sign-out link carries data-intercom-logout, as a site's
 * own logout link should: the loader shuts the Messenger down before the page leaves. */
(() => {
  "use strict";
  if (document.getElementById("mkdocs-intercom-session")) return;
  const bar = document.createElement("div");
  bar.id = "mkdocs-intercom-session";
  bar.dataset.state = "unknown";
  bar.style.cssText =
    "position:fixed;left:12px;bottom:12px;z-index:2147483000;max-width:calc(100vw - 110px);" +
    "padding:6px 10px;border-radius:6px;background:#1f2937;color:#fff;" +
    "font:13px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.25)";
  document.body.append(bar);

  function link(text, href, logout) {
    const a = document.createElement("a");
    a.textContent = text;
    a.href = href;
    a.style.cssText = "color:#fff;text-decoration:underline";
    if (logout) a.dataset.intercomLogout = "";
    return a;
  }

  async function draw() {
    let session = { signed_in: false };
    try {
      const answer = await fetch("/idp/me", { credentials: "same-origin", cache: "no-store" });
      if (answer.ok) session = await answer.json();
    } catch {
      // Shown as signed out.
    }
    const here = encodeURIComponent(location.pathname + location.search);
    const who = document.createElement("strong");
    who.textContent = session.signed_in ? session.name : "";
    bar.replaceChildren(
      "Local preview · ",
      ...(session.signed_in
        ? ["Signed in as ", who, " · ", link("Sign out", `/idp/logout?next=${here}`, true)]
        : ["Signed out · ", link("Sign in as a sample reader", `/idp/login?next=${here}`, false)]),
    );
    bar.dataset.state = session.signed_in ? "signed-in" : "signed-out";
  }

  draw();
  // Instant navigation changes the address without a page load: the links follow it.
  if (window.document$) window.document$.subscribe(draw);
})();

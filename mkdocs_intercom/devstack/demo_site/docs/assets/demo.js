/* The demo's sign-in bar shows who the site's login says is signed in. It asks the identity
 * provider, as a site asks its own session endpoint; what Intercom sees is the Messenger's
 * business (open it: it shows the verified reader). */
(() => {
  "use strict";

  async function showSession() {
    const bar = document.querySelector("[data-demo-session]");
    if (!bar) return;
    let session = { signed_in: false };
    try {
      const answer = await fetch("/idp/me", { credentials: "same-origin", cache: "no-store" });
      if (answer.ok) session = await answer.json();
    } catch {
      // Shown as signed out.
    }
    const here = location.pathname + location.search;
    bar.querySelector("[data-demo-sign-in]").href = `/idp/login?next=${encodeURIComponent(here)}`;
    bar.querySelector("[data-demo-name]").textContent = session.signed_in ? session.name : "";
    bar.dataset.state = session.signed_in ? "signed-in" : "signed-out";
  }

  // mkdocs-material's instant navigation redraws the bar on every page: document$ says when.
  if (window.document$) window.document$.subscribe(showSession);
  else showSession();
})();

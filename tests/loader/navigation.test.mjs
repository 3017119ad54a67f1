// In-page navigation asks nothing; every update of a JWT user carries the current JWT and
// stays within Intercom's 20 per 30 minutes; a focus after 30 s asks again.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ANONYMOUS, identity, machine, signedIn, types } from "./machine.mjs";

describe("instant navigation", () => {
  test("keeps the booted Messenger and asks nothing; the page view carries the JWT", () => {
    const m = signedIn("alice");
    const effects = m.send("navigate", { enabled: true });
    assert.deepEqual(effects, [
      {
        type: "update",
        changes: { hide_default_launcher: false, intercom_user_jwt: identity("alice").intercom_user_jwt },
      },
    ]);
  });

  test("hmac: page views carry no JWT", () => {
    const m = signedIn("alice", { verification: "hmac" });
    assert.deepEqual(m.send("navigate", { enabled: true }), [
      { type: "update", changes: { hide_default_launcher: false } },
    ]);
  });

  test("an excluded page hides the Messenger, and the next page shows it again", () => {
    const m = signedIn("alice");
    assert.deepEqual(types(m.send("navigate", { enabled: false })), ["hide", "update"]);
    assert.equal(m.effects.at(-1).changes.hide_default_launcher, true);
    assert.equal(m.effects.at(-1).changes.intercom_user_jwt, identity("alice").intercom_user_jwt);
    assert.deepEqual(types(m.send("navigate", { enabled: true })), ["update"]);
  });

  test("a signed-out reader's page asks nothing on navigation", () => {
    const m = machine();
    m.send("load", { parsed: true });
    m.answer(ANONYMOUS);
    assert.deepEqual(m.send("navigate", { enabled: true }), []);
  });

  test("a launcher (load: interaction) is hidden on excluded pages and back after", () => {
    const m = machine({ load: "interaction" });
    m.send("load", { parsed: true });
    assert.deepEqual(m.send("navigate", { enabled: false }), [{ type: "launcher", visible: false }]);
    assert.deepEqual(m.send("navigate", { enabled: true }), [{ type: "launcher", visible: true }]);
  });
});

describe("Intercom's update budget: 20 per 30 minutes per page load", () => {
  test("page views stop at 14, leaving 6 to what matters (a renewed JWT, hiding)", () => {
    const m = signedIn("alice");
    let sent = 0;
    for (let page = 0; page < 30; page++) sent += m.later(1000).send("navigate", { enabled: true }).length;
    assert.equal(sent, 14);
    const hide = m.send("navigate", { enabled: false });
    assert.deepEqual(types(hide), ["hide", "update"], "a vital update still goes out");
  });

  test("a vital update with no budget left reboots the same reader instead", () => {
    const m = signedIn("alice");
    for (let page = 0; page < 20; page++) {
      m.later(1000).send("navigate", { enabled: page % 2 === 1 });
    }
    const effects = m.later(1000).send("navigate", { enabled: false });
    assert.deepEqual(types(effects), ["hide", "shutdown", "boot"]);
    assert.equal(effects[2].options.intercom_user_jwt, identity("alice").intercom_user_jwt);
    const updates = m.effects.filter((effect) => effect.type === "update");
    assert.equal(updates.length, 20);
  });

  test("the budget comes back after 30 minutes", () => {
    const m = signedIn("alice");
    for (let page = 0; page < 14; page++) m.later(1000).send("navigate", { enabled: true });
    assert.deepEqual(m.later(1000).send("navigate", { enabled: true }), []);
    assert.deepEqual(types(m.later(30 * 60_000).send("navigate", { enabled: true })), ["update"]);
  });
});

describe("focus", () => {
  test("after 30 s asks the signer again; before, nothing", () => {
    const m = signedIn("alice");
    assert.deepEqual(m.later(29_000).send("focus", { visible: true }), []);
    assert.deepEqual(types(m.later(2_000).send("focus", { visible: true })), ["ask"]);
    assert.deepEqual(m.send("focus", { visible: true }), [], "one request at a time");
  });

  test("a hidden tab asks nothing", () => {
    const m = signedIn("alice");
    assert.deepEqual(m.later(60_000).send("focus", { visible: false }), []);
  });

  test("a page that has not started asks nothing (load: interaction)", () => {
    const m = machine({ load: "interaction" });
    m.send("load", { parsed: true });
    assert.deepEqual(m.later(60_000).send("focus", { visible: true }), []);
  });
});

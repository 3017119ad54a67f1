// What an answer from the signer does: boot, renewal, change of reader, logout, failure.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ANONYMOUS, UNAVAILABLE, boots, identity, machine, signedIn, types, user } from "./machine.mjs";

describe("the first answer", () => {
  test("a user: boots with the JWT only (user_id and the signed fields are inside it)", () => {
    const m = machine();
    m.send("load", { parsed: true });
    const [boot] = boots(m.answer(user("alice")));
    assert.deepEqual(boot.options, {
      app_id: "testapp1",
      api_base: "https://api-iam.intercom.io",
      intercom_user_jwt: identity("alice").intercom_user_jwt,
    });
  });

  test("hmac: boots with user_id and user_hash, name and email when given", () => {
    const m = machine({ verification: "hmac" });
    m.send("load", { parsed: true });
    const answer = { ...identity("alice"), email: "alice@example.com", name: "Alice" };
    const [boot] = boots(m.answer({ kind: "user", identity: answer }));
    assert.equal(boot.options.user_id, "alice");
    assert.equal(boot.options.user_hash, "hash-of-alice");
    assert.equal(boot.options.email, "alice@example.com");
    assert.equal(boot.options.intercom_user_jwt, undefined);
  });

  test("a 401: nothing boots, and the tab remembers only that it was a 401", () => {
    const m = machine();
    m.send("load", { parsed: true });
    assert.deepEqual(m.answer(ANONYMOUS), [{ type: "remember", hint: "anonymous" }]);
    assert.equal(m.state.messenger, "none");
  });

  test("a 401 with visitors: an anonymous visitor Messenger", () => {
    const m = machine({ visitors: true });
    m.send("load", { parsed: true });
    const [boot] = boots(m.answer(ANONYMOUS));
    assert.deepEqual(Object.keys(boot.options).sort(), ["api_base", "app_id"]);
    assert.equal(m.state.messenger, "visitor");
  });

  test("the signer unavailable: nothing boots as a user", () => {
    const m = machine();
    m.send("load", { parsed: true });
    assert.deepEqual(m.answer(UNAVAILABLE), []);
    assert.equal(m.state.messenger, "none");
  });

  test("a launcher clicked and no Messenger to show: the fallback link", () => {
    const m = machine({ load: "interaction", fallbackUrl: "/support/" });
    m.send("load", { parsed: true });
    assert.deepEqual(types(m.send("show", { click: true })), ["timer", "loadWidget", "ask"]);
    assert.deepEqual(types(m.answer(ANONYMOUS)), ["remember", "launcher", "fallback"]);
  });
});

describe("a later answer for the same document", () => {
  test("the same reader before renewal is due: nothing happens", () => {
    const m = signedIn("alice");
    m.later(31_000).send("focus", { visible: true });
    assert.deepEqual(m.answer(user("alice", m.now)), []);
  });

  test("the same reader when renewal is due: an update with the new JWT, never a boot", () => {
    const m = signedIn("alice", {}, {});
    const renewal = m.effects.find((effect) => effect.name === "renew");
    m.later(renewal.after).send("timer", { name: "renew", epoch: renewal.epoch });
    const fresh = user("alice", m.now);
    const effects = m.answer(fresh);
    assert.deepEqual(types(effects), ["update", "timer"]);
    assert.equal(effects[0].changes.intercom_user_jwt, fresh.identity.intercom_user_jwt);
  });

  test("another reader: shutdown first, then a boot as them, and the other tabs hear of it", () => {
    const m = signedIn("alice");
    m.later(31_000).send("focus", { visible: true });
    const effects = m.answer(user("bob", m.now));
    assert.deepEqual(types(effects), ["shutdown", "signal", "boot", "timer"]);
    assert.equal(effects[1].message, "changed");
    assert.equal(m.state.identity.user_id, "bob");
  });

  test("a visitor who signs in: shutdown and boot, never an update", () => {
    const m = machine({ visitors: true });
    m.send("load", { parsed: true });
    m.answer(ANONYMOUS);
    m.later(31_000).send("focus", { visible: true });
    const effects = m.answer(user("alice", m.now));
    assert.deepEqual(types(effects), ["shutdown", "signal", "remember", "boot", "timer"]);
    assert.ok(!types(effects).includes("update"));
  });

  test("a 401: shutdown before anything else, every tab told, a visitor with visitors", () => {
    const m = signedIn("alice", { visitors: true });
    m.later(31_000).send("focus", { visible: true });
    const effects = m.answer(ANONYMOUS);
    assert.deepEqual(types(effects), ["shutdown", "signal", "remember", "boot"]);
    assert.equal(effects[1].message, "logout");
    assert.equal(boots(effects)[0].options.intercom_user_jwt, undefined);
  });

  test("the signer unavailable: a reader with time left keeps the Messenger", () => {
    const m = signedIn("alice");
    m.later(31_000).send("focus", { visible: true });
    assert.deepEqual(m.answer(UNAVAILABLE), []);
    assert.equal(m.state.messenger, "user");
  });

  test("the signer unavailable when the identity is about to expire: shut down", () => {
    const m = machine();
    m.send("load", { parsed: true });
    m.answer(user("alice", m.now, 90));
    m.later(31_000).send("focus", { visible: true });
    assert.deepEqual(types(m.answer(UNAVAILABLE)), ["shutdown"]);
  });

  test("an answer that buys no time is asked again after 5, 10, 20 s…, never in a loop", () => {
    const m = machine();
    m.send("load", { parsed: true });
    const waits = [];
    for (let round = 0; round < 4; round++) {
      const effects = round ? m.answer(user("alice", m.now - 7_200_000)) : m.answer(user("alice", m.now, -10));
      const renewal = effects.find((effect) => effect.name === "renew");
      if (round) assert.equal(types(effects)[0], "update");
      waits.push(renewal.after);
      m.later(renewal.after).send("timer", { name: "renew", epoch: renewal.epoch });
    }
    assert.deepEqual(waits, [5000, 10000, 20000, 40000]);
  });
});

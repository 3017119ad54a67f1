// How a page starts: one signer request per full page load, none for an excluded page.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { machine, types, user } from "./machine.mjs";

describe("a full page load", () => {
  test("eager: asks the signer once and downloads the widget at the same time", () => {
    const m = machine({ load: "eager" });
    assert.deepEqual(types(m.send("load", { parsed: false })), ["loadWidget", "ask"]);
    assert.deepEqual(m.send("parsed"), [], "the parsed document asks nothing more");
  });

  test("idle: asks at once, downloads the widget once the page is parsed", () => {
    const m = machine({ load: "idle" });
    assert.deepEqual(types(m.send("load", { parsed: false })), ["ask"]);
    assert.deepEqual(types(m.send("parsed")), ["loadWidget"]);
  });

  test("idle: an answer that came before the parse boots at the parse", () => {
    const m = machine({ load: "idle" });
    m.send("load", { parsed: false });
    assert.deepEqual(m.answer(user("alice")), [], "nothing boots before the start");
    m.later(200);
    assert.deepEqual(types(m.send("parsed")), ["loadWidget", "boot", "timer"]);
    assert.equal(m.state.messenger, "user");
  });

  test("interaction: draws a launcher and asks nothing before the reader shows intent", () => {
    const m = machine({ load: "interaction" });
    assert.deepEqual(m.send("load", { parsed: true }), [{ type: "launcher", draw: true }]);
    assert.deepEqual(types(m.send("intent")), ["ask"]);
    assert.deepEqual(m.send("intent"), [], "one request at a time");
  });

  test("a tab whose last answer was a 401 waits for the signer before the widget", () => {
    const m = machine({ load: "eager" }, { hint: "anonymous" });
    assert.deepEqual(types(m.send("load", { parsed: true })), ["ask"]);
    assert.deepEqual(types(m.answer(user("bob"))), ["signal", "remember", "loadWidget", "boot", "timer"]);
  });

  test("with visitors the widget downloads whatever the hint says", () => {
    const m = machine({ load: "eager", visitors: true }, { hint: "anonymous" });
    assert.deepEqual(types(m.send("load", { parsed: true })), ["loadWidget", "ask"]);
  });

  test("no signer: a visitors site boots a visitor and asks nothing", () => {
    const m = machine({ signerUrl: null, visitors: true });
    const effects = m.send("load", { parsed: true });
    assert.deepEqual(types(effects), ["loadWidget", "boot"]);
    assert.equal(m.state.messenger, "visitor");
  });
});

describe("a page without the Messenger", () => {
  for (const [why, config, page] of [
    ["an excluded page", { enabled: false }, {}],
    ["no cookie consent yet", { consent: true }, { consent: false }],
  ]) {
    test(`${why}: no widget, no signer request, no launcher`, () => {
      const m = machine({ ...config, load: "eager" }, page);
      assert.deepEqual(m.send("load", { parsed: true }), []);
      assert.deepEqual(m.send("parsed"), []);
      assert.deepEqual(m.later(60_000).send("focus", { visible: true }), []);
      assert.deepEqual(m.send("show", { click: true }), []);
      assert.equal(m.state.phase, "off");
    });
  }

  test("an excluded page's logout link still tells every tab and clears Intercom's cookie", () => {
    const m = machine({ enabled: false });
    m.send("load", { parsed: true });
    assert.deepEqual(m.send("logout", { leaving: true }), [
      { type: "forget" },
      { type: "signal", message: "logout" },
      { type: "remember", hint: "anonymous" },
    ]);
  });

  test("instant navigation from an excluded page to another starts the Messenger there", () => {
    const m = machine({ enabled: false });
    m.send("load", { parsed: true });
    assert.deepEqual(types(m.send("navigate", { enabled: true })), ["loadWidget", "ask"]);
  });
});

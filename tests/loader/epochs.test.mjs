// Security rules 6 and 7: every request belongs to an epoch; logout, another tab's news, a
// change of reader and a back/forward-cache restore start a new one, and a late answer from
// an older epoch boots nobody. A tab that heard nothing is safe anyway: it asks on its next page.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ANONYMOUS, PREFETCH, boots, machine, signedIn, types, user } from "./machine.mjs";

// Ways to have a request in flight when the news arrives.
const asking = {
  "the first request of the page": () => {
    const m = machine();
    m.send("load", { parsed: true });
    return m;
  },
  "a focus recheck": () => {
    const m = signedIn("alice");
    m.later(31_000).send("focus", { visible: true });
    return m;
  },
  "a renewal": () => {
    const m = signedIn("alice");
    const renewal = m.effects.find((effect) => effect.name === "renew");
    m.later(renewal.after).send("timer", { name: "renew", epoch: renewal.epoch });
    return m;
  },
  "the API's refresh": () => {
    const m = signedIn("alice");
    m.send("refresh");
    return m;
  },
  "a hover before the click (load: interaction)": () => {
    const m = machine({ load: "interaction" });
    m.send("load", { parsed: true });
    m.send("intent");
    return m;
  },
};

// News that ends the epoch.
const news = {
  "a logout link": (m) => m.send("logout", { leaving: true }),
  "a logout button (no navigation)": (m) => m.send("logout"),
  "another tab's logout": (m) => m.send("peer", { message: "logout" }),
  "another tab's new reader": (m) => m.send("peer", { message: "changed" }),
  "a back/forward-cache restore": (m) => m.send("pageshow", { persisted: true }),
};

describe("a late answer from an older epoch boots nobody", () => {
  for (const [what, setUp] of Object.entries(asking)) {
    for (const [event, tell] of Object.entries(news)) {
      for (const visitors of [false, true]) {
        test(`${what}, then ${event}${visitors ? ", visitors" : ""}`, () => {
          const m = setUp();
          m.state = { ...m.state, config: { ...m.state.config, visitors } };
          const late = m.lastAsk();
          const before = m.state.epoch;
          const effects = tell(m);
          assert.ok(m.state.epoch > before, "a new epoch");
          if (types(effects).includes("shutdown")) {
            assert.equal(effects[0].type, "shutdown", "shutdown before anything else");
          }
          assert.deepEqual(m.answer(user("alice", m.now), late), [], "alice's late answer is dropped");
          assert.notEqual(m.state.identity?.user_id, "alice");
          m.send("show", { click: true }); // even a click later boots nobody from it
          assert.ok(!boots(m.effects.slice(-3)).some((b) => b.options.intercom_user_jwt));
        });
      }
    }
  }
});

describe("the four ways a cache used to bring a reader back", () => {
  test("a logout on an excluded page: the other tab's next page asks, and gets a 401", () => {
    // The other tab heard nothing (no message); its next full page load is a new document.
    const next = machine();
    assert.deepEqual(types(next.send("load", { parsed: true })), ["loadWidget", "ask"]);
    assert.deepEqual(boots(next.answer(ANONYMOUS)), [], "nothing of alice without the signer");
  });

  test("a new reader in a new tab: the old tab's next page boots whoever the signer names", () => {
    const next = machine();
    next.send("load", { parsed: true });
    const [boot] = boots(next.answer(user("bob")));
    assert.match(boot.options.intercom_user_jwt, /bob/);
  });

  test("a tab between two pages: its new page asks, whatever it missed", () => {
    const next = machine({ load: "idle" });
    assert.deepEqual(types(next.send("load", { parsed: false })), ["ask"]);
  });

  test("a hover's answer after a bfcache restore is dropped, and the click asks again", () => {
    const m = machine({ load: "interaction" });
    m.send("load", { parsed: true });
    m.send("intent");
    m.answer(user("alice"));
    m.send("pageshow", { persisted: true }); // the loader had not started: a new epoch anyway
    assert.deepEqual(types(m.send("show", { click: true })), ["timer", "loadWidget", "ask"]);
  });

  test("a hover's answer counts for 30 s: a click after that asks again", () => {
    const m = machine({ load: "interaction" });
    m.send("load", { parsed: true });
    m.send("intent");
    m.answer(user("alice"));
    m.later(PREFETCH + 1);
    assert.deepEqual(types(m.send("show", { click: true })), ["timer", "loadWidget", "ask"]);
  });

  test("a hover's answer within 30 s boots at the click, without another request", () => {
    const m = machine({ load: "interaction" });
    m.send("load", { parsed: true });
    m.send("intent");
    m.answer(user("alice"));
    m.later(PREFETCH);
    const effects = m.send("show", { click: true });
    assert.deepEqual(types(effects), ["timer", "loadWidget", "boot", "timer", "show"]);
  });

  test("a stale hover answer: the next hover asks again", () => {
    const m = machine({ load: "interaction" });
    m.send("load", { parsed: true });
    m.send("intent");
    m.answer(user("alice"));
    assert.deepEqual(m.later(1000).send("intent"), [], "fresh: nothing to ask");
    assert.deepEqual(types(m.later(PREFETCH).send("intent")), ["ask"]);
  });
});

describe("another tab", () => {
  test("a logout there shuts this Messenger down at once, and tells nobody else", () => {
    const m = signedIn("alice");
    assert.deepEqual(m.send("peer", { message: "logout" }), [
      { type: "shutdown" },
      { type: "remember", hint: "anonymous" },
    ]);
  });

  test("a new reader there: shut down, then ask who it is", () => {
    const m = signedIn("alice");
    assert.deepEqual(types(m.send("peer", { message: "changed" })), ["shutdown", "ask"]);
    assert.deepEqual(types(m.answer(user("bob", m.now))), ["boot", "timer"]);
  });

  test("a logout there with visitors: a visitor here", () => {
    const m = signedIn("alice", { visitors: true });
    const effects = m.send("peer", { message: "logout" });
    assert.deepEqual(types(effects), ["shutdown", "remember", "boot"]);
    assert.equal(m.state.messenger, "visitor");
  });

  test("a logout link shuts down before it tells the other tabs", () => {
    const m = signedIn("alice");
    assert.deepEqual(types(m.send("logout", { leaving: true })), ["shutdown", "signal", "remember"]);
  });
});

describe("the back/forward cache", () => {
  test("a restored page shuts down and shows nothing until the signer names the reader", () => {
    const m = signedIn("alice");
    assert.deepEqual(types(m.send("pageshow", { persisted: true })), ["shutdown", "ask"]);
    assert.equal(m.state.messenger, "none");
    assert.deepEqual(types(m.answer(user("alice", m.now))), ["boot", "timer"]);
  });

  test("a first pageshow (not a restore) changes nothing", () => {
    const m = signedIn("alice");
    assert.deepEqual(m.send("pageshow", { persisted: false }), []);
  });
});

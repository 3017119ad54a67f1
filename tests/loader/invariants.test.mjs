// The rules, checked over thousands of random event sequences (late answers, other tabs,
// restores, navigation, clicks) rather than the cases someone thought of.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ANONYMOUS, PREFETCH, UNAVAILABLE, machine, user } from "./machine.mjs";

function random(seed) {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const pick = (rand, items) => items[Math.floor(rand() * items.length)];

function step(m, rand, asked) {
  const kind = pick(rand, [
    "answer", "answer", "answer", "logout", "logoutLink", "peerLogout", "peerChanged",
    "restore", "focus", "navigate", "click", "intent", "renew", "widget", "parsed", "wait",
  ]);
  switch (kind) {
    case "answer": {
      if (!asked.length) return ["wait"];
      const epoch = pick(rand, asked);
      const result = pick(rand, [user("alice", m.now), user("bob", m.now), ANONYMOUS, UNAVAILABLE]);
      return ["answer", { epoch, result }];
    }
    case "logout": return ["logout", {}];
    case "logoutLink": return ["logout", { leaving: true }];
    case "peerLogout": return ["peer", { message: "logout" }];
    case "peerChanged": return ["peer", { message: "changed" }];
    case "restore": return ["pageshow", { persisted: true }];
    case "focus": return ["focus", { visible: rand() < 0.8 }];
    case "navigate": return ["navigate", { enabled: rand() < 0.7 }];
    case "click": return ["show", { click: true }];
    case "intent": return ["intent", {}];
    case "renew": return ["timer", { name: "renew", epoch: pick(rand, [...asked, m.state.epoch]) }];
    case "widget": return ["widget", { loaded: rand() < 0.8 }];
    case "parsed": return ["parsed", {}];
    default: return ["wait"];
  }
}

test("over random sequences, no rule is ever broken", () => {
  let boots = 0;
  for (let seed = 1; seed <= 2000; seed++) {
    const rand = random(seed);
    const config = {
      load: pick(rand, ["eager", "idle", "interaction"]),
      visitors: rand() < 0.5,
      verification: rand() < 0.8 ? "jwt" : "hmac",
      enabled: rand() < 0.9,
    };
    const m = machine(config, { hint: rand() < 0.3 ? "anonymous" : null });
    const asked = [];
    const updates = [];
    m.send("load", { parsed: rand() < 0.5 });
    for (let i = 0; i < 60; i++) {
      const [type, fields] = step(m, rand, asked);
      m.later(Math.floor(rand() * 40_000));
      if (type === "wait") continue;
      const before = m.state;
      const effects = m.send(type, fields);
      const where = `seed ${seed}, step ${i}: ${type} ${JSON.stringify(fields)}`;
      for (const [index, effect] of effects.entries()) {
        if (effect.type === "ask") asked.push(effect.epoch);
        if (effect.type === "remember") assert.ok([null, "anonymous"].includes(effect.hint), where);
        if (effect.type === "signal") assert.ok(["logout", "changed"].includes(effect.message), where);
        if (effect.type === "update") {
          updates.push(m.now);
          assert.equal(effect.changes.user_id, undefined, `${where}: an update never names a reader`);
          if (m.state.messenger === "user" && config.verification === "jwt") {
            assert.equal(effect.changes.intercom_user_jwt, m.state.identity.intercom_user_jwt, where);
          }
        }
        if (effect.type !== "boot") continue;
        const booted = effect.options.intercom_user_jwt || effect.options.user_id;
        if (!booted) continue;
        boots++;
        const reboot = index > 0 && effects[index - 1].type === "shutdown" && type !== "answer";
        if (reboot) continue; // the same reader, rebooted for want of update budget
        // A user boots only from an answer of the current epoch, or one asked ahead of the
        // start in the current epoch and at most 30 s old.
        const early = before.early;
        const fromAnswer = type === "answer" && fields.epoch === before.epoch && fields.result.kind === "user";
        const fromEarly = !!early && early.epoch === before.epoch && m.now - early.at <= PREFETCH;
        assert.ok(fromAnswer || fromEarly, `${where}: booted ${booted} from nowhere`);
        const who = fromAnswer ? fields.result.identity : early.result.identity;
        assert.ok(String(booted).includes(who.user_id), where);
        if (before.messenger !== "none") {
          assert.ok(effects.slice(0, index).some((e) => e.type === "shutdown"), `${where}: no shutdown first`);
        }
      }
      const recent = updates.filter((at) => m.now - at < 30 * 60_000);
      assert.ok(recent.length <= 20, `${where}: ${recent.length} updates in 30 minutes`);
    }
  }
  assert.ok(boots > 1000, `the sequences booted readers (${boots} times): the check ran`);
});

// What the loader accepts from the page and from the signer, whatever they say.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { identity, loader } from "./machine.mjs";

describe("the fallback link: https:, mailto: or a path of this site", () => {
  const cases = [
    ["https://support.example.com/contact", true],
    ["mailto:help@example.com", true],
    ["/support/", true],
    ["/", true],
    ["javascript:alert(1)", false],
    ["JavaScript:alert(1)", false],
    [" javascript:alert(1)", false],
    ["data:text/html,<script>alert(1)</script>", false],
    ["http://support.example.com/", false],
    ["//evil.example/", false],
    ["/\\evil.example/", false],
    ["/\t/evil.example/", false],
    ["https://ok.example/\nx", false],
    ["support/", false],
    ["", false],
    [null, false],
    [42, false],
  ];
  for (const [link, allowed] of cases) {
    test(`${JSON.stringify(link)} ${allowed ? "is offered" : "is refused"}`, () => {
      assert.equal(loader.safeLink(link), allowed);
    });
  }
});

describe("a 200 vouches for a reader only with what the page boots with", () => {
  const good = identity("alice");
  const cases = [
    ["jwt, complete", good, true, true],
    ["hmac, complete", good, false, true],
    ["jwt without the JWT", { ...good, intercom_user_jwt: undefined }, true, false],
    ["hmac without the hash", { ...good, user_hash: "" }, false, false],
    ["no user_id", { ...good, user_id: "" }, true, false],
    ["a user_id that is not a string", { ...good, user_id: 7 }, true, false],
    ["no expires_at", { ...good, expires_at: undefined }, true, false],
    ["an expires_at as a string", { ...good, expires_at: "1800000000" }, true, false],
    ["a JWT that is not a string", { ...good, intercom_user_jwt: { alg: "none" } }, true, false],
    ["null", null, true, false],
    ["an array", [], true, false],
  ];
  for (const [what, body, jwt, vouched] of cases) {
    test(`${what}: ${vouched ? "a reader" : "nobody"}`, () => {
      assert.equal(loader.vouched(body, jwt), vouched);
    });
  }
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildContentSecurityPolicy, buildWebviewHtml, createNonce, escapeHtml } from "../../src/extension/panels/html";

describe("webview HTML shell", () => {
  it("makes a fresh 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.equal(Buffer.from(nonce, "base64").length, 16);
  });

  it("allows scripts only by nonce and nothing remote or inline", () => {
    const csp = buildContentSecurityPolicy("https://file+.vscode-resource.vscode-cdn.net", "abc123");
    const directives = new Map(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
    assert.deepEqual(directives.get("default-src"), ["'none'"]);
    assert.deepEqual(directives.get("script-src"), ["'nonce-abc123'"]);
    assert.deepEqual(directives.get("style-src"), ["https://file+.vscode-resource.vscode-cdn.net"]);
    assert.deepEqual(directives.get("img-src"), ["https://file+.vscode-resource.vscode-cdn.net", "data:"]);
    assert.doesNotMatch(csp, /unsafe-(inline|eval)|\*/);
  });

  it("puts the nonce on the bundle's script and escapes what it embeds", () => {
    const html = buildWebviewHtml({ title: "Curves <&>", cspSource: "vscode-resource:", nonce: "n0nce", scriptUri: "vscode-resource:/dist/webview/curves.js", codiconsUri: "vscode-resource:/dist/codicons/codicon.css" });
    assert.match(html, /<script nonce="n0nce" src="vscode-resource:\/dist\/webview\/curves.js"><\/script>/);
    assert.match(html, /<title>Curves &lt;&amp;&gt;<\/title>/);
    assert.match(html, /id="vscode-codicon-stylesheet"/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.equal(escapeHtml(`"'`), "&quot;&#39;");
  });
});

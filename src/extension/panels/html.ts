/**
 * The HTML shell every webview loads, with its Content Security Policy. No 'vscode' import, so
 * the screenshot harness builds its pages with the same function.
 */
import { randomBytes } from "node:crypto";

/** A fresh nonce per page load: 128 random bits, base64 (CSP nonces must be unguessable). */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The policy of every webview: nothing by default, scripts only with this page's nonce, styles,
 * images and fonts only from the extension's own folders.
 *
 * Styles need no 'unsafe-inline': each bundle adopts its stylesheet through
 * `document.adoptedStyleSheets`, the element library (Lit) does the same, and Chart.js sets
 * element styles through the CSSOM; CSP governs none of those.
 */
export function buildContentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join("; ");
}

export interface WebviewHtmlOptions {
  title: string;
  cspSource: string;
  nonce: string;
  /** The panel's bundle, `dist/webview/<panel>.js`, as a webview URI. */
  scriptUri: string;
  /** `dist/codicons/codicon.css` as a webview URI (the element library finds it by its id). */
  codiconsUri: string;
}

const htmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

export function buildWebviewHtml(options: WebviewHtmlOptions): string {
  const { title, cspSource, nonce, scriptUri, codiconsUri } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(buildContentSecurityPolicy(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(codiconsUri)}" id="vscode-codicon-stylesheet">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="root" aria-busy="true"></main>
<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>`;
}

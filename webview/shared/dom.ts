/** Small DOM helpers: elements built with text content, never with HTML strings from data. */

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Record<string, string | number | boolean | undefined>, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attributes?: Record<string, string | number | boolean | undefined>, ...children: Child[]): HTMLElement;
export function h(tag: string, attributes: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** A codicon, hidden from screen readers (the control around it carries the words). */
export function icon(name: string): HTMLElement {
  return h("span", { class: `codicon codicon-${name}`, "aria-hidden": "true" });
}

/** Adds a bundle's stylesheet without a `<style>` tag, so the CSP needs no 'unsafe-inline'. */
export function adoptStyles(...cssTexts: string[]): void {
  const sheets = cssTexts.map((text) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    return sheet;
  });
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, ...sheets];
}

/** The app root from the HTML shell; `aria-busy` until the first snapshot arrives. */
export function appRoot(): HTMLElement {
  const root = document.getElementById("root");
  if (!root) throw new Error("The page has no #root element.");
  return root;
}

export function render(root: HTMLElement, ...children: Child[]): void {
  root.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  root.removeAttribute("aria-busy");
}

/** A message in the middle of an empty panel, with what to do next. */
export function emptyState(iconName: string, title: string, ...lines: string[]): HTMLElement {
  return h("div", { class: "empty-state", role: "status" }, icon(iconName), h("h2", {}, title), ...lines.map((line) => h("p", {}, line)));
}

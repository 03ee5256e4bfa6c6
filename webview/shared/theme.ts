/** Theme colours read from VS Code's `--vscode-*` variables, for code that cannot use CSS (charts, canvas). */

export function themeColor(variable: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(variable).trim();
  return value === "" ? fallback : value;
}

export type ThemeKind = "light" | "dark" | "high-contrast" | "high-contrast-light";

/** VS Code marks the body with the theme's kind; it changes when the learner switches theme. */
export function themeKind(): ThemeKind {
  const classes = document.body.classList;
  if (classes.contains("vscode-high-contrast-light")) return "high-contrast-light";
  if (classes.contains("vscode-high-contrast")) return "high-contrast";
  return classes.contains("vscode-light") ? "light" : "dark";
}

/** Calls `redraw` when the theme changes (VS Code swaps the body classes and the variables). */
export function onThemeChange(redraw: () => void): void {
  const observer = new MutationObserver(() => redraw());
  observer.observe(document.body, { attributes: true, attributeFilter: ["class"] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["style"] });
}

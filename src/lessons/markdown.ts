/**
 * The markdown side of the lesson format: markdown-it with two small block-rule plugins, one for
 * YAML front matter and one for Carpentries-style fenced divs (`::: challenge {id="x"}` ... `:::`).
 *
 * markdown-it does all of the markdown. The div plugin only marks where a div opens and where one
 * closes, as two flat tokens (`div_open`, `div_close`) on the block stream; the parser pairs them
 * with a stack, so a closing line closes the innermost open div whatever its number of colons
 * (nesting by count, as the Carpentries Workbench does), and code fences that contain `:::` lines
 * are never mistaken for divs because markdown-it's own fence rule consumes them first.
 */
import markdownit, { type MarkdownIt, type StateBlock, type Token } from "markdown-it";
import hljs from "highlight.js/lib/core";
import python from "highlight.js/lib/languages/python";
import bash from "highlight.js/lib/languages/bash";
import yaml from "highlight.js/lib/languages/yaml";
import { posix } from "node:path";

/** What the div plugin records about an opening line, on `token.meta` of a `div_open` token. */
export type DivOpenMeta = {
  /** The div's name (`challenge`); empty when the line has none. */
  name: string;
  /** 0-based column of the name, or of the first colon when there is no name. */
  nameColumn: number;
  attrs: DivAttribute[];
  /** Why the opening line could not be read, if it could not. */
  error?: { message: string; column: number };
};

export interface DivAttribute {
  key: string;
  value: string;
  /** 0-based column of the key and of the value on the opening line. */
  keyColumn: number;
  valueColumn: number;
}

const DIV_LINE = /^(:{3,})(.*)$/;

/** Reads `name {key="value" key2='v' key3=bare}` after the colons of an opening line. */
function readDivHeader(rest: string, restColumn: number): DivOpenMeta {
  const meta: DivOpenMeta = { name: "", nameColumn: restColumn, attrs: [] };
  let i = 0;
  const skipSpace = (): void => {
    while (i < rest.length && (rest[i] === " " || rest[i] === "\t")) i++;
  };
  skipSpace();
  meta.nameColumn = restColumn + i;
  const nameMatch = /^[A-Za-z][\w-]*/.exec(rest.slice(i));
  if (nameMatch) {
    meta.name = nameMatch[0];
    meta.nameColumn = restColumn + i;
    i += nameMatch[0].length;
    skipSpace();
  }
  if (rest[i] === "{") {
    const close = rest.indexOf("}", i);
    if (close < 0) {
      meta.error = { message: "the attributes of this div have no closing `}`", column: restColumn + i };
      return meta;
    }
    const body = rest.slice(i + 1, close);
    const bodyColumn = restColumn + i + 1;
    const attribute = /\s*(?:([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'}]+))|#([\w-]+))\s*/y;
    let at = 0;
    while (at < body.length) {
      if (/^\s*$/.test(body.slice(at))) break;
      attribute.lastIndex = at;
      const m = attribute.exec(body);
      if (!m) {
        const column = bodyColumn + at + (/^\s*/.exec(body.slice(at))?.[0].length ?? 0);
        meta.error = { message: 'cannot read this attribute; write attributes as key="value"', column };
        return meta;
      }
      const leading = /^\s*/.exec(m[0])?.[0].length ?? 0;
      if (m[5] !== undefined) {
        meta.attrs.push({ key: "id", value: m[5], keyColumn: bodyColumn + at + leading, valueColumn: bodyColumn + at + leading + 1 });
      } else {
        const key = m[1] ?? "";
        const value = m[2] ?? m[3] ?? m[4] ?? "";
        const valueOffset = m[0].indexOf("=") + 1 + (/^\s*["']?/.exec(m[0].slice(m[0].indexOf("=") + 1))?.[0].length ?? 0);
        meta.attrs.push({ key, value, keyColumn: bodyColumn + at + leading, valueColumn: bodyColumn + at + valueOffset });
      }
      at = attribute.lastIndex;
    }
    i = close + 1;
    skipSpace();
  }
  // Pandoc allows an opening line to end in colons too: `::: callout :::`.
  while (i < rest.length && rest[i] === ":") i++;
  skipSpace();
  if (i < rest.length) {
    meta.error = {
      message: meta.name
        ? `unexpected text after the div name: \`${rest.slice(i).trim()}\``
        : "a div opens with colons and a name, e.g. `::: callout`",
      column: restColumn + i,
    };
  } else if (!meta.name) {
    meta.error = { message: "this div has no name; write e.g. `::: callout`", column: meta.nameColumn };
  }
  return meta;
}

function fencedDivRule(state: StateBlock, startLine: number, _endLine: number, silent: boolean): boolean {
  // Four spaces of indentation make an indented code block, as for code fences.
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  const max = state.eMarks[startLine]!;
  const line = state.src.slice(start, max);
  const m = DIV_LINE.exec(line);
  if (!m) return false;
  // As a terminator (ending a paragraph, list or blockquote) any div line counts; as a block of
  // its own only at the top level of the document: divs structure the episode, not list items.
  if (silent) return true;
  if (state.level !== 0) return false;
  const column = state.tShift[startLine]!;
  const rest = m[2] ?? "";
  const colons = m[1] ?? ":::";
  let token: Token;
  if (rest.trim() === "") {
    token = state.push("div_close", "div", 0);
  } else {
    token = state.push("div_open", "div", 0);
    const meta = readDivHeader(rest, column + colons.length);
    token.meta = meta;
    token.info = meta.name;
  }
  token.markup = colons;
  token.map = [startLine, startLine + 1];
  state.line = startLine + 1;
  return true;
}

/** Front matter: a `---` line at the very top, YAML, and a closing `---` (or `...`) line. */
function frontMatterRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (startLine !== 0 || state.level !== 0) return false;
  const lineText = (n: number): string => state.src.slice(state.bMarks[n]! + state.tShift[n]!, state.eMarks[n]!);
  if (state.tShift[0] !== 0 || lineText(0).trimEnd() !== "---") return false;
  let close = -1;
  for (let n = 1; n < endLine; n++) {
    const text = lineText(n).trimEnd();
    if (state.tShift[n] === 0 && (text === "---" || text === "...")) {
      close = n;
      break;
    }
  }
  if (close < 0) return false;
  if (silent) return true;
  const token = state.push("front_matter", "", 0);
  token.content = close > 1 ? state.src.slice(state.bMarks[1]!, state.eMarks[close - 1]!) : "";
  token.markup = "---";
  token.map = [0, close + 1];
  token.hidden = true;
  state.line = close + 1;
  return true;
}

/** Gives each `div_close` token the name of the div it closes (closing lines carry no name). */
function nameClosingDivs(state: { tokens: Token[] }): void {
  const open: string[] = [];
  for (const token of state.tokens) {
    if (token.type === "div_open") open.push(token.info);
    else if (token.type === "div_close") token.info = open.pop() ?? "";
  }
}

/**
 * The plugin: front matter plus fenced divs. Rendering turns divs into `<div class="...">`; a
 * `solution` inside a callout (the answer to a "predict" question) becomes a closed fold, with
 * the `solution` class the episode panel already styles for a challenge's solution.
 */
export function lessonPlugin(md: MarkdownIt): void {
  md.block.ruler.before("table", "front_matter", frontMatterRule);
  md.block.ruler.before("fence", "fenced_div", fencedDivRule, { alt: ["paragraph", "reference", "blockquote", "list"] });
  md.core.ruler.push("name_closing_divs", nameClosingDivs);
  md.renderer.rules["front_matter"] = () => "";
  md.renderer.rules["div_open"] = (tokens, idx) => {
    const name = (tokens[idx]?.info ?? "").replace(/[^\w-]/g, "");
    if (name === "solution") return `<details class="lesson-div lesson-solution-fold solution">\n<summary>Show the answer</summary>\n`;
    return `<div class="lesson-div lesson-${name}">\n`;
  };
  md.renderer.rules["div_close"] = (tokens, idx) => (tokens[idx]?.info === "solution" ? "</details>\n" : "</div>\n");
}

/** The markdown-it instance the parser uses: CommonMark plus tables, strikethrough and the plugin. */
export function createLessonMarkdownIt(): MarkdownIt {
  const md = markdownit("default", { html: false, linkify: false, typographer: false });
  md.use(lessonPlugin);
  return md;
}

let highlightReady = false;
function ensureHighlightLanguages(): void {
  if (highlightReady) return;
  hljs.registerLanguage("python", python);
  hljs.registerLanguage("bash", bash);
  hljs.registerLanguage("yaml", yaml);
  highlightReady = true;
}

/**
 * Turns an image's `src` as written in the markdown (percent-decoded, relative to the episode file)
 * into the URL the webview may load (the host's `webview.asWebviewUri(...)` of a file in the
 * lesson's `figures/`, see `lessonFigurePath`). Undefined drops the image with a visible note.
 */
export type ImageResolver = (src: string) => string | undefined;

export interface MarkdownRendererOptions {
  /** The host's resolver. Without one every image is dropped: the webview loads nothing it was not handed explicitly. */
  resolveImage?: ImageResolver;
}

export interface MarkdownRenderer {
  /** Renders a block of lesson markdown (an episode block, a challenge's task, a hint) to HTML. */
  render(markdown: string): string;
  /** Renders one line of inline markdown (a title, a question) without a wrapping paragraph. */
  renderInline(markdown: string): string;
}

/** What one render call hands the rules: markdown-it passes `env` to every rule of that call. */
interface RenderEnv {
  [key: string | symbol]: unknown;
  resolveImage?: ImageResolver;
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * An image `src` as written in an episode (relative to `episodes/`, e.g. `../figures/neuron.svg`)
 * as a path relative to the lesson folder inside its `figures/` (`figures/neuron.svg`); undefined
 * for anything else: URLs of any scheme (remote, `data:`, `javascript:`), absolute paths, and paths
 * that climb out of `figures/`. The host turns the path into a webview URI.
 */
export function lessonFigurePath(src: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith("/") || src.startsWith("\\")) return undefined;
  const relative = src.split(/[?#]/)[0] ?? "";
  const target = posix.normalize(posix.join("episodes", relative.replace(/\\/g, "/")));
  return target.startsWith("figures/") && target.length > "figures/".length ? target : undefined;
}

/** The one markdown-it of the episode panel, made on first use; each render call brings its own resolver in `env`. */
let panelMarkdownIt: MarkdownIt | undefined;

/**
 * markdown-it with raw HTML disabled (the lesson's markdown cannot inject markup or scripts into
 * the webview), fenced divs as `<div>`s, highlight.js for python/bash/yaml code, images through the
 * render call's resolver, and table alignment as classes (the panel's CSP allows no inline style).
 */
function createPanelMarkdownIt(): MarkdownIt {
  ensureHighlightLanguages();
  const md: MarkdownIt = markdownit("default", {
    html: false,
    linkify: false,
    typographer: false,
    highlight(code: string, lang: string): string {
      const language = lang === "py" ? "python" : lang;
      if (language && hljs.getLanguage(language)) {
        const html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
        return `<pre><code class="hljs language-${escapeHtml(language)}">${html}</code></pre>`;
      }
      return "";
    },
  });
  md.use(lessonPlugin);
  md.renderer.rules.image = (tokens, idx, opts, env: RenderEnv | undefined, self) => {
    const token = tokens[idx]!;
    const src = safeDecode(String(token.attrGet("src") ?? ""));
    const alt = self.renderInlineAsText(token.children ?? [], opts, env ?? {});
    const resolved = env?.resolveImage?.(src);
    if (resolved === undefined) {
      return `<span class="lesson-missing-image" role="note">Image not shown (only images in the lesson's figures folder are): ${escapeHtml(alt || src)}</span>`;
    }
    token.attrSet("src", resolved);
    token.attrSet("alt", alt);
    return self.renderToken(tokens, idx, opts);
  };
  // markdown-it writes `style="text-align:..."` on the cells of an aligned column; the episode's
  // stylesheet has `align-left|center|right` classes instead.
  for (const rule of ["th_open", "td_open"] as const) {
    md.renderer.rules[rule] = (tokens, idx, opts, _env, self) => {
      const token = tokens[idx]!;
      const align = /text-align:\s*(left|center|right)/.exec(String(token.attrGet("style") ?? ""))?.[1];
      const attrs = (token.attrs ?? []).filter(([name]) => name !== "style");
      if (align) attrs.push(["class", `align-${align}`]);
      token.attrs = attrs;
      return self.renderToken(tokens, idx, opts);
    };
  }
  return md;
}

/** The renderer of the episode panel: one render of the markdown, images resolved by `options.resolveImage` as it renders. */
export function createMarkdownRenderer(options: MarkdownRendererOptions = {}): MarkdownRenderer {
  const md = (panelMarkdownIt ??= createPanelMarkdownIt());
  const env = (): RenderEnv => (options.resolveImage ? { resolveImage: options.resolveImage } : {});
  return {
    render: (markdown) => md.render(markdown, env()),
    renderInline: (markdown) => md.renderInline(markdown, env()),
  };
}

/** markdown-it percent-encodes link targets; file lookups want the path as written. */
export function safeDecode(src: string): string {
  try {
    return decodeURI(src);
  } catch {
    return src;
  }
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMarkdownRenderer, lessonFigurePath } from "../../src/lessons";

/** The episode panel's resolver without a webview: figures to a made-up scheme, the rest dropped. */
const panelResolver = (src: string): string | undefined => {
  const figure = lessonFigurePath(src);
  return figure === undefined ? undefined : `webview:/lesson/${figure}`;
};

describe("lesson images: which ones the episode panel loads", () => {
  it("takes files of figures/ written relative to episodes/", () => {
    assert.equal(lessonFigurePath("../figures/03-neuron.svg"), "figures/03-neuron.svg");
    assert.equal(lessonFigurePath("../figures/sub/a b.png?v=2#x"), "figures/sub/a b.png");
    assert.equal(lessonFigurePath("./../figures/./a.svg"), "figures/a.svg");
  });

  it("refuses URLs, absolute paths and paths out of figures/", () => {
    for (const src of [
      "https://example.org/x.png",
      "http://127.0.0.1/x.svg",
      "//example.org/x.svg",
      "data:image/png;base64,AAAA",
      "javascript:alert(1)",
      "file:///etc/passwd",
      "/etc/passwd",
      "\\\\server\\share\\x.svg",
      "../figures/../../secret.svg",
      "../../figures/a.svg",
      "figures/a.svg",
      "../solutions/a.py",
      "../figures/",
      "..\\..\\x.svg",
    ]) {
      assert.equal(lessonFigurePath(src), undefined, src);
    }
  });
});

describe("markdown rendered once with the host's image resolver", () => {
  it("writes the resolved URL into the <img> and calls the resolver once per image", () => {
    const seen: string[] = [];
    const renderer = createMarkdownRenderer({
      resolveImage: (src) => {
        seen.push(src);
        return panelResolver(src);
      },
    });
    const html = renderer.render("A figure:\n\n![The *neuron*](../figures/03-neuron.svg \"One neuron\")\n");
    assert.deepEqual(seen, ["../figures/03-neuron.svg"]);
    assert.equal(html, '<p>A figure:</p>\n<p><img src="webview:/lesson/figures/03-neuron.svg" alt="The neuron" title="One neuron"></p>\n');
  });

  it("drops remote and escaping images with a visible note, loading nothing", () => {
    const renderer = createMarkdownRenderer({ resolveImage: panelResolver });
    const html = renderer.render("![tracker](https://example.org/pixel.png) ![secret](../../../etc/x.svg) ![inline](data:image/png;base64,AAAA)");
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /example\.org|etc\/x|base64/);
    assert.equal((html.match(/class="lesson-missing-image" role="note">Image not shown/g) ?? []).length, 3);
    assert.match(html, /: tracker<\/span>/);
  });

  it("escapes an image's alt text and the resolved URL", () => {
    const renderer = createMarkdownRenderer({ resolveImage: () => 'x" onerror="alert(1)' });
    const html = renderer.render("![a <b> \"c\"](../figures/a.svg)");
    assert.doesNotMatch(html, /onerror="/);
    assert.match(html, /src="x&quot; onerror=&quot;alert\(1\)"/);
    assert.match(html, /alt="a &lt;b&gt; &quot;c&quot;"/);
  });

  it("keeps raw HTML out, image tags included", () => {
    const renderer = createMarkdownRenderer({ resolveImage: panelResolver });
    const html = renderer.render('<img src="../figures/a.svg" onerror="alert(1)">\n\nText <img src=x> and <script>alert(1)</script>');
    assert.doesNotMatch(html, /<img|<script/);
  });

  it("turns table alignment into classes, with no inline style for the CSP to refuse", () => {
    const html = createMarkdownRenderer().render("| n | name | x |\n|--:|:--:|---|\n| 1 | a | b |\n");
    assert.doesNotMatch(html, /style=/);
    assert.match(html, /<th class="align-right">n<\/th>/);
    assert.match(html, /<td class="align-center">a<\/td>/);
    assert.match(html, /<td>b<\/td>/);
  });

  it("gives each renderer its own resolver, however many share the markdown-it", () => {
    const a = createMarkdownRenderer({ resolveImage: (src) => `a:${src}` });
    const b = createMarkdownRenderer({ resolveImage: (src) => `b:${src}` });
    assert.match(a.render("![x](../figures/x.svg)"), /src="a:..\/figures\/x.svg"/);
    assert.match(b.renderInline("![x](../figures/x.svg)"), /src="b:..\/figures\/x.svg"/);
    assert.match(a.renderInline("![x](../figures/x.svg)"), /src="a:/);
  });
});

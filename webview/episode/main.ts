/** Episode webview: the episode's text, its boxes, and a box with buttons for each challenge. */
import "@vscode-elements/elements/dist/vscode-button/index.js";
import type { CalloutKind } from "../../src/protocol/lesson";
import type { CheckOutcome } from "../../src/protocol/outcome";
import {
  EpisodeProtocol,
  type ChallengeView,
  type CheckReport,
  type EpisodeFocusRequest,
  type EpisodeViewState,
  type EpisodeWebviewPersistedState,
  type LessonCompletionView,
} from "../../src/protocol/panels";
import baseCss from "../shared/base.css";
import { adoptStyles, appRoot, h, icon, render } from "../shared/dom";
import { connectToHost } from "../shared/host";
import { challengeButtons, completionWords, focusTarget, statusIcon, statusText, type FocusTarget } from "./model";
import css from "./style.css";

adoptStyles(baseCss, css);
const root = appRoot();

const calloutIcons: Record<CalloutKind, string> = { callout: "info", discussion: "comment-discussion", caution: "warning", testimonial: "quote" };
const checkIcons: Record<CheckOutcome, string> = { correct: "pass-filled", wrong: "error", todo: "circle-large-outline", invalid: "warning" };
const verdictIcons: Record<CheckOutcome, string> = { correct: "check", wrong: "close", todo: "dash", invalid: "warning" };

let persisted: EpisodeWebviewPersistedState | undefined;

const host = connectToHost(EpisodeProtocol, ({ state, focus }) => draw(state, focus));
persisted = host.getState();

function remember(change: Partial<EpisodeWebviewPersistedState>): void {
  if (!persisted) return;
  persisted = { ...persisted, ...change };
  host.setState(persisted);
}

let scrollTimer: number | undefined;
window.addEventListener("scroll", () => {
  window.clearTimeout(scrollTimer);
  scrollTimer = window.setTimeout(() => remember({ scrollY: window.scrollY }), 150);
});

function draw(state: EpisodeViewState, focus: EpisodeFocusRequest | undefined): void {
  const sameEpisode = persisted?.episodeId === state.episodeId;
  if (!sameEpisode) persisted = { episodeId: state.episodeId, scrollY: 0, openSolutions: [] };
  const added = focusTarget(focus, persisted!.handledFocusId, state.challenges);
  if (focus && added) persisted = { ...persisted!, handledFocusId: focus.id };
  // A solution just revealed opens; the learner may fold it away afterwards.
  if (added?.kind === "solution" && !persisted!.openSolutions.includes(added.challengeId)) persisted = { ...persisted!, openSolutions: [...persisted!.openSolutions, added.challengeId] };
  host.setState(persisted!);
  // A redraw after a check or a hint must not move the page or lose the focused button.
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.["focusKey"];
  const scrollY = sameEpisode ? (root.childElementCount > 0 ? window.scrollY : persisted!.scrollY) : 0;
  const challenges = new Map(state.challenges.map((c) => [c.id, c]));

  render(
    root,
    header(state),
    h("div", { class: "overview" }, listBox("questions", "question", "Questions", state.questions), listBox("objectives", "target", "Objectives", state.objectives)),
    ...state.blocks.map((block) => {
      switch (block.kind) {
        case "html":
          return markdown(block.html);
        case "callout":
          return h("aside", { class: `box ${block.calloutKind}` }, h("div", { class: "box-title" }, icon(calloutIcons[block.calloutKind]), inlineMarkdown(block.title)), markdown(block.html));
        case "challenge": {
          const challenge = challenges.get(block.challengeId);
          return challenge ? challengeBox(challenge) : null;
        }
      }
    }),
    listBox("keypoints", "key", "Key points", state.keypoints),
    state.completion ? completionBox(state.lessonTitle, state.completion) : null,
    navigation(state),
  );
  window.scrollTo(0, scrollY);
  if (added) bringIntoView(added);
  else if (focusKey) root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

/** Scrolls the challenge's box into view and moves keyboard focus to its new hint or solution. */
function bringIntoView(added: FocusTarget): void {
  const box = root.querySelector<HTMLElement>(`section.challenge[data-challenge-id="${CSS.escape(added.challengeId)}"]`);
  const target = box?.querySelector<HTMLElement>(added.kind === "hint" ? `[data-hint-index="${added.hintIndex}"]` : "details.solution > summary");
  if (!box || !target) return;
  box.scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
  // A long box: the new part may still be below the fold.
  target.scrollIntoView({ block: "nearest" });
}

/** After the last episode: what the learner did in the whole lesson, and the script of it to take home. */
function completionBox(lessonTitle: string, completion: LessonCompletionView): HTMLElement {
  const words = completionWords(completion);
  const exportButton = h("vscode-button", { icon: "export", "data-focus-key": "lesson:export" }, "Export Python Script");
  exportButton.addEventListener("click", () => host.post({ type: "lessonAction", action: "exportScript" }));
  const runsButton = h("vscode-button", { secondary: true, icon: "graph-line", "data-focus-key": "lesson:runs" }, "Your training runs");
  runsButton.addEventListener("click", () => host.post({ type: "lessonAction", action: "showRuns" }));
  return h(
    "section",
    { class: `box lesson-complete${completion.finished ? " finished" : ""}`, "aria-label": "Lesson complete" },
    h("h2", {}, icon(completion.finished ? "pass-filled" : "milestone"), ` ${words.title}`),
    h("p", {}, words.summary.replace("{lesson}", lessonTitle)),
    h("ul", { class: "completion-facts" }, ...words.facts.map((fact) => h("li", {}, fact))),
    h("p", {}, "Export Python Script writes your finished challenges as one Python file, to run with Keras wherever you like."),
    h("div", { class: "button-row" }, exportButton, runsButton),
  );
}

function header(state: EpisodeViewState): HTMLElement {
  return h(
    "header",
    {},
    h("div", { class: "crumbs" }, h("span", {}, state.lessonTitle), h("span", { "aria-hidden": "true" }, "›"), h("span", {}, `Episode ${state.episodeNumber} of ${state.episodeCount}`)),
    h("h1", {}, state.title),
    h("div", { class: "timing" }, h("span", {}, icon("mortar-board"), ` Teaching: ${state.teachingMinutes} min`), h("span", {}, icon("beaker"), ` Exercises: ${state.exerciseMinutes} min`)),
  );
}

/** A title the host rendered inline (`for` in backticks becomes <code>for</code>), shown as markup, not as text. */
function inlineMarkdown(html: string): HTMLElement {
  const span = h("span", { class: "inline-markdown" });
  span.innerHTML = html;
  return span;
}

/** Rendered markdown from the host (the lesson's own text through the lesson renderer). */
function markdown(html: string): HTMLElement {
  const div = h("div", { class: "markdown" });
  div.innerHTML = html;
  return div;
}

function listBox(kind: string, iconName: string, title: string, itemsHtml: string[]): HTMLElement | null {
  if (itemsHtml.length === 0) return null;
  return h("section", { class: `box ${kind}` }, h("h2", {}, icon(iconName), title), h("ul", {}, ...itemsHtml.map((item) => {
    const li = h("li");
    li.innerHTML = item;
    return li;
  })));
}

function challengeBox(challenge: ChallengeView): HTMLElement {
  const headingId = `challenge-${challenge.id}`;
  const buttons = challengeButtons(challenge).map((b) => {
    const button = h("vscode-button", { icon: b.icon, secondary: !b.primary, disabled: b.disabled, title: b.title, "data-focus-key": `${challenge.id}:${b.action}` }, b.text);
    button.addEventListener("click", () => host.post({ type: "challenge", action: b.action, challengeId: challenge.id }));
    return button;
  });
  return h(
    "section",
    { class: `box challenge status-${challenge.status}`, "aria-labelledby": headingId, "data-challenge-id": challenge.id },
    h(
      "div",
      { class: "challenge-head" },
      h("h3", { id: headingId }, icon(challenge.kind === "code" ? "code" : "comment-discussion"), "Challenge: ", inlineMarkdown(challenge.title)),
      h("span", { class: `status-pill ${challenge.status}`, role: "status" }, icon(statusIcon[challenge.status]), statusText[challenge.status]),
    ),
    markdown(challenge.html),
    h("div", { class: "button-row" }, ...buttons),
    challenge.lastCheck ? checkReport(challenge.lastCheck) : null,
    ...challenge.hintsShown.map((hint, i) =>
      h("div", { class: "hint", tabindex: "-1", role: "note", "aria-label": `Hint ${i + 1}`, "data-hint-index": String(i) }, h("div", { class: "hint-title" }, icon("lightbulb"), challenge.hintsShown.length > 1 ? `Hint ${i + 1}` : "Hint"), markdown(hint)),
    ),
    challenge.solutionHtml === undefined ? null : solution(challenge.id, challenge.solutionHtml, challenge.answerHtml),
  );
}

function checkReport(report: CheckReport): HTMLElement {
  return h(
    "div",
    { class: `check ${report.outcome}`, "aria-live": "polite" },
    h("div", { class: "check-title" }, icon(checkIcons[report.outcome]), report.message),
    report.blanks.length === 0
      ? null
      : h(
          "ul",
          {},
          ...report.blanks.map((blank) =>
            h(
              "li",
              {},
              h("span", { class: `verdict-${blank.verdict}` }, icon(verdictIcons[blank.verdict])),
              h("span", {}, h("code", {}, blank.id), blank.line === undefined ? "" : ` (line ${blank.line})`, blank.message ? ` — ${blank.message}` : blank.verdict === "correct" ? " — right" : ""),
            ),
          ),
        ),
    h("div", { class: "when" }, `Checked at ${new Date(report.checkedAt).toLocaleTimeString()}`),
  );
}

/**
 * The solution. While the learner's file still differs from it, the lines that change come first,
 * as a diff against their file (the whole solution file is long and narrow panels cut its lines);
 * the full explanation and file follow, folded.
 */
function solution(challengeId: string, html: string, answerHtml: string | undefined): HTMLElement {
  const open = persisted?.openSolutions.includes(challengeId) ?? false;
  const body = answerHtml
    ? h(
        "div",
        { class: "solution-body" },
        h("p", { class: "answer-intro" }, "The lines of your file with the answers (− now, + with the answer):"),
        markdown(answerHtml),
        h("details", { class: "whole-solution" }, h("summary", {}, "The explanation and the whole solution file"), markdown(html)),
      )
    : h("div", { class: "solution-body" }, markdown(html));
  const details = h("details", { class: "solution", open }, h("summary", { "data-focus-key": `${challengeId}:solution` }, icon("eye"), "Solution"), body);
  details.addEventListener("toggle", () => {
    const others = (persisted?.openSolutions ?? []).filter((id) => id !== challengeId);
    remember({ openSolutions: details.open ? [...others, challengeId] : others });
  });
  return details;
}

function navigation(state: EpisodeViewState): HTMLElement {
  const link = (target: { episodeId: string; title: string } | undefined, direction: "previous" | "next"): HTMLElement => {
    if (!target) return h("span");
    const button = h("vscode-button", { secondary: direction === "previous", icon: direction === "previous" ? "arrow-left" : undefined, "icon-after": direction === "next" ? "arrow-right" : undefined, "data-focus-key": direction, title: target.title }, direction === "previous" ? `Previous: ${target.title}` : `Next: ${target.title}`);
    button.addEventListener("click", () => host.post({ type: "navigateEpisode", episodeId: target.episodeId }));
    return button;
  };
  return h("nav", { class: "episodes", "aria-label": "Episodes" }, link(state.previous, "previous"), link(state.next, "next"));
}

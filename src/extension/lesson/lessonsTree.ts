/**
 * The Lessons view: lesson → episodes → challenges, each challenge with its status icon (to do,
 * correct, wrong, not valid Python, revealed). Clicking an episode opens it; clicking a code challenge starts it.
 */
import * as vscode from "vscode";
import type { Challenge, Episode, Lesson } from "../../protocol/lesson";
import { isChallengeDone, type ChallengeStatus } from "../../protocol/outcome";
import type { LessonCatalog } from "./lessonCatalog";
import type { ProgressStore } from "./progress";

type LessonNode =
  | { kind: "lesson"; lesson: Lesson }
  | { kind: "episode"; lesson: Lesson; episode: Episode }
  | { kind: "challenge"; lesson: Lesson; episode: Episode; challenge: Challenge };

const STATUS_ICONS: Record<ChallengeStatus, vscode.ThemeIcon> = {
  todo: new vscode.ThemeIcon("circle-large-outline"),
  correct: new vscode.ThemeIcon("pass-filled", new vscode.ThemeColor("testing.iconPassed")),
  wrong: new vscode.ThemeIcon("error", new vscode.ThemeColor("testing.iconFailed")),
  invalid: new vscode.ThemeIcon("warning", new vscode.ThemeColor("testing.iconErrored")),
  revealed: new vscode.ThemeIcon("eye", new vscode.ThemeColor("descriptionForeground")),
};

const STATUS_WORDS: Record<ChallengeStatus, string> = { todo: "not done yet", correct: "passed", wrong: "not right yet", invalid: "not valid Python yet", revealed: "solution revealed" };

export class LessonsTreeProvider implements vscode.TreeDataProvider<LessonNode> {
  private readonly changed = new vscode.EventEmitter<LessonNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly catalog: LessonCatalog,
    private readonly progress: ProgressStore,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: LessonNode): Promise<LessonNode[]> {
    if (!node) return (await this.catalog.lessons()).map((lesson) => ({ kind: "lesson", lesson }));
    switch (node.kind) {
      case "lesson":
        return node.lesson.episodes.map((episode) => ({ kind: "episode", lesson: node.lesson, episode }));
      case "episode":
        return node.episode.challenges.map((challenge) => ({ kind: "challenge", lesson: node.lesson, episode: node.episode, challenge }));
      case "challenge":
        return [];
    }
  }

  getTreeItem(node: LessonNode): vscode.TreeItem {
    switch (node.kind) {
      case "lesson": {
        const item = new vscode.TreeItem(node.lesson.title, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `lesson:${node.lesson.id}`;
        item.iconPath = new vscode.ThemeIcon("book");
        const { done, total } = this.counts(node.lesson, node.lesson.episodes);
        item.description = total > 0 ? `${done}/${total} challenges` : "";
        return item;
      }
      case "episode": {
        const state = node.episode.challenges.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
        const item = new vscode.TreeItem(`${node.lesson.episodes.indexOf(node.episode) + 1}. ${node.episode.title}`, state);
        item.id = `episode:${node.lesson.id}:${node.episode.id}`;
        item.iconPath = new vscode.ThemeIcon("file-text");
        const { done, total } = this.counts(node.lesson, [node.episode]);
        if (total > 0) item.description = `${done}/${total}`;
        item.command = { command: "dlLessons.openEpisode", title: "Open Episode", arguments: [node.episode.id] };
        return item;
      }
      case "challenge": {
        const status = this.progress.challenge(node.lesson.id, node.challenge.id).status;
        const item = new vscode.TreeItem(node.challenge.title, vscode.TreeItemCollapsibleState.None);
        item.id = `challenge:${node.lesson.id}:${node.challenge.id}`;
        item.iconPath = STATUS_ICONS[status];
        item.description = STATUS_WORDS[status];
        item.tooltip = `${node.challenge.title} (${STATUS_WORDS[status]})`;
        item.contextValue = node.challenge.starterFile === undefined ? "question" : "codeChallenge";
        item.command =
          node.challenge.starterFile === undefined
            ? { command: "dlLessons.openEpisode", title: "Open Episode", arguments: [node.episode.id] }
            : { command: "dlLessons.startChallenge", title: "Start Challenge", arguments: [node.challenge.id] };
        return item;
      }
    }
  }

  private counts(lesson: Lesson, episodes: readonly Episode[]): { done: number; total: number } {
    const challenges = episodes.flatMap((e) => e.challenges);
    const done = challenges.filter((c) => isChallengeDone(this.progress.challenge(lesson.id, c.id).status)).length;
    return { done, total: challenges.length };
  }
}

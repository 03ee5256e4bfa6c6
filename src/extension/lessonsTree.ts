import * as vscode from "vscode";
import { parse as parseYaml } from "yaml";

/** One node of the Lessons view: a lesson, or one of its episodes. */
type LessonNode = { kind: "lesson"; id: string; title: string; episodes: string[] } | { kind: "episode"; lessonId: string; file: string; index: number };

/**
 * The Lessons view: the lessons shipped in the extension's `lessons/` folder and their episodes.
 */
export class LessonsTreeProvider implements vscode.TreeDataProvider<LessonNode> {
  private readonly changed = new vscode.EventEmitter<LessonNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly lessonsRoot: vscode.Uri) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: LessonNode): Promise<LessonNode[]> {
    if (node?.kind === "lesson") {
      return node.episodes.map((file, index) => ({ kind: "episode", lessonId: node.id, file, index }));
    }
    if (node) return [];
    const entries = await vscode.workspace.fs.readDirectory(this.lessonsRoot);
    const lessons: LessonNode[] = [];
    for (const [name, type] of entries) {
      if (type !== vscode.FileType.Directory) continue;
      const manifest = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.lessonsRoot, name, "lesson.yaml"));
      const data = parseYaml(new TextDecoder().decode(manifest)) as { id?: string; title?: string; episodes?: string[] };
      lessons.push({ kind: "lesson", id: data.id ?? name, title: data.title ?? name, episodes: data.episodes ?? [] });
    }
    return lessons;
  }

  getTreeItem(node: LessonNode): vscode.TreeItem {
    if (node.kind === "lesson") {
      const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon("book");
      return item;
    }
    const item = new vscode.TreeItem(node.file.replace(/\.md$/, ""), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon("file-text");
    return item;
  }
}

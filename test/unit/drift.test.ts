/**
 * Drift between package.json and the code, after rust-analyzer's "tidy" tests: every contributed
 * command has a handler and every handler is contributed; every command is reachable or hidden on
 * purpose; every setting is read and every setting read is contributed; the settings' enums are
 * the code's lists; views, serializers and activation events name each other; the context keys of
 * `when` clauses are set somewhere; and the docs name only settings and commands that exist.
 *
 * The code is read with the TypeScript parser (syntax only, no type checking, so it stays fast),
 * and a shape the test cannot read fails with its file and line rather than being skipped.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { COMMAND_IDS } from "../../src/extension/commandIds";
import { DATASET_NAMES } from "../../src/protocol/modelSpec";

const REPO = path.join(__dirname, "..", "..");
const EXTENSION_ROOT = path.join(REPO, "src", "extension");
const SETTINGS_SECTION = "dlLessons";

interface MenuEntry {
  command: string;
  when?: string;
}
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string }[];
    menus: Record<string, MenuEntry[]>;
    keybindings: MenuEntry[];
    viewsContainers: { activitybar: { id: string }[] };
    views: Record<string, { id: string; type?: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    configuration: { properties: Record<string, { enum?: string[]; enumDescriptions?: string[]; default?: unknown }> };
    walkthroughs: { steps: { description: string; completionEvents?: string[] }[] }[];
  };
}

const manifestText = fs.readFileSync(path.join(REPO, "package.json"), "utf8");
const manifest = JSON.parse(manifestText) as Manifest;
const contributes = manifest.contributes;
const settingKeys = Object.keys(contributes.configuration.properties);
const viewIds = Object.values(contributes.views).flatMap((views) => views.map((view) => view.id));
const containerIds = contributes.viewsContainers.activitybar.map((container) => container.id);

/** Every .ts file under `folder`, parsed. */
function parseTree(folder: string): ts.SourceFile[] {
  return fs
    .readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .sort()
    .map((name) => {
      const file = path.join(folder, name);
      return ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    });
}
const extensionSources = parseTree(EXTENSION_ROOT);

function where(node: ts.Node): string {
  const source = node.getSourceFile();
  const { line } = source.getLineAndCharacterOfPosition(node.getStart());
  return `${path.relative(REPO, source.fileName)}:${line + 1}`;
}

function visit(sources: readonly ts.SourceFile[], onNode: (node: ts.Node) => void): void {
  const walk = (node: ts.Node): void => {
    onNode(node);
    node.forEachChild(walk);
  };
  for (const source of sources) walk(source);
}

/** `a.b.name(...)` or `name(...)`: the name of the function called. */
function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

function calls(sources: readonly ts.SourceFile[], name: string): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  visit(sources, (node) => {
    if (ts.isCallExpression(node) && calleeName(node) === name) found.push(node);
  });
  return found;
}

/** `static readonly viewType = "..."` of every class, by class name. */
const viewTypeOfClass = new Map<string, string>();
visit(extensionSources, (node) => {
  if (!ts.isClassDeclaration(node) || !node.name) return;
  for (const member of node.members) {
    if (ts.isPropertyDeclaration(member) && member.name.getText() === "viewType" && member.initializer && ts.isStringLiteral(member.initializer)) {
      viewTypeOfClass.set(node.name.text, member.initializer.text);
    }
  }
});

/** A view or panel id given as a literal or as `SomeClass.viewType`; anything else fails the test. */
function viewIdOf(argument: ts.Expression | undefined, call: ts.Node): string {
  if (argument && ts.isStringLiteralLike(argument)) return argument.text;
  if (argument && ts.isPropertyAccessExpression(argument) && argument.name.text === "viewType" && ts.isIdentifier(argument.expression)) {
    const id = viewTypeOfClass.get(argument.expression.text);
    if (id) return id;
  }
  assert.fail(`${where(call)}: the id is neither a string literal nor a class's static viewType, so this test cannot check it`);
}

function stringArgument(call: ts.CallExpression, index: number): string | undefined {
  const argument = call.arguments[index];
  return argument && ts.isStringLiteralLike(argument) ? argument.text : undefined;
}

function sameSet(actual: Iterable<string>, expected: Iterable<string>, what: string): void {
  const actualSet = new Set(actual);
  const expectedSet = new Set(expected);
  const missing = [...expectedSet].filter((item) => !actualSet.has(item));
  const extra = [...actualSet].filter((item) => !expectedSet.has(item));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, what);
}

/** `command:dlLessons.x` links in markdown strings of package.json (welcome views, walkthroughs). */
function commandLinks(text: string): string[] {
  return [...text.matchAll(/\(command:([\w.]+)/g)].map((match) => match[1] ?? "");
}

// ---------------------------------------------------------------------------------------------
// Commands

/** What the source names as a command: `command: "dlLessons.x"` (tree items, CodeLens) and `executeCommand("dlLessons.x")`. */
function commandsNamedInCode(): { id: string; at: string }[] {
  const named: { id: string; at: string }[] = [];
  visit(extensionSources, (node) => {
    if (ts.isPropertyAssignment(node) && node.name.getText() === "command" && ts.isStringLiteralLike(node.initializer)) {
      named.push({ id: node.initializer.text, at: where(node) });
    }
    if (ts.isCallExpression(node) && calleeName(node) === "executeCommand") {
      const id = stringArgument(node, 0);
      if (id?.startsWith(`${SETTINGS_SECTION}.`)) named.push({ id, at: where(node) });
    }
  });
  return named;
}

test("package.json contributes exactly the commands of COMMAND_IDS", () => {
  sameSet(
    contributes.commands.map((command) => command.command),
    COMMAND_IDS,
    "contributes.commands and src/extension/commandIds.ts differ (missing: in the code, not contributed; extra: contributed, no handler)",
  );
});

test("activate() gives each command id a handler, in its one registration table", () => {
  const extensionFile = extensionSources.find((source) => source.fileName.endsWith(path.join("extension", "extension.ts")));
  assert.ok(extensionFile, "src/extension/extension.ts is read");
  const tables: { keys: string[]; at: string }[] = [];
  visit([extensionFile], (node) => {
    if (!ts.isVariableDeclaration(node) || !node.type || !ts.isTypeReferenceNode(node.type) || node.type.typeName.getText() !== "Record") return;
    if (node.type.typeArguments?.[0]?.getText() !== "CommandId" || !node.initializer || !ts.isObjectLiteralExpression(node.initializer)) return;
    const keys = node.initializer.properties.map((property) => {
      assert.ok(property.name && (ts.isStringLiteral(property.name) || ts.isIdentifier(property.name)), `${where(property)}: a handler's key is a command id written out`);
      return property.name.text;
    });
    tables.push({ keys, at: where(node) });
  });
  assert.equal(tables.length, 1, "one `Record<CommandId, …>` table of handlers in extension.ts");
  sameSet(tables[0]?.keys ?? [], COMMAND_IDS, `the handler table at ${tables[0]?.at} and COMMAND_IDS differ (missing: no handler)`);

  // Commands are registered by that table only: a literal id registered elsewhere would be a second list.
  const registrations = calls(extensionSources, "registerCommand");
  for (const call of registrations) {
    assert.equal(stringArgument(call, 0), undefined, `${where(call)}: register commands through the table of extension.ts, not one by one`);
  }
  assert.equal(registrations.length, 1, `one registerCommand call, in the loop over the table (found at ${registrations.map(where).join(", ")})`);
});

test("every command the code, the menus, keybindings and links name is a registered command", () => {
  const registered = new Set<string>(COMMAND_IDS);
  const focusCommands = new Set(viewIds.map((id) => `${id}.focus`));
  for (const { id, at } of commandsNamedInCode()) {
    if (focusCommands.has(id)) continue; // VS Code's own command for each contributed view
    assert.ok(registered.has(id), `${at}: ${id} is not a registered command`);
  }
  for (const [menu, entries] of Object.entries(contributes.menus)) {
    for (const entry of entries) assert.ok(registered.has(entry.command), `menus.${menu}: ${entry.command} is not a registered command`);
  }
  for (const binding of contributes.keybindings) assert.ok(registered.has(binding.command), `keybindings: ${binding.command} is not a registered command`);
  const links = [
    ...contributes.viewsWelcome.flatMap((welcome) => commandLinks(welcome.contents)),
    ...contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps.flatMap((step) => commandLinks(step.description))),
    ...contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps.flatMap((step) => (step.completionEvents ?? []).map((event) => event.replace(/^onCommand:/, "")))),
  ];
  for (const id of links) assert.ok(registered.has(id), `a link or completion event of package.json names ${id}, which is not a registered command`);
});

/** Commands run by tests and benchmarks (through a keybinding they set up), never shown to learners. */
const DEVELOPER_COMMANDS = new Set<string>(["dlLessons.measureResponsiveness"]);

test("every command is reachable, or hidden from the palette on purpose", () => {
  const palette = contributes.menus["commandPalette"] ?? [];
  const hidden = new Set(palette.filter((entry) => entry.when === "false").map((entry) => entry.command));
  // A palette entry with another `when` keeps the command in the palette where that holds; say which.
  for (const entry of palette) assert.ok(entry.when !== undefined, `menus.commandPalette: ${entry.command} needs a when clause`);
  const elsewhere = new Set<string>([
    ...Object.entries(contributes.menus)
      .filter(([menu]) => menu !== "commandPalette")
      .flatMap(([, entries]) => entries.map((entry) => entry.command)),
    ...contributes.keybindings.map((binding) => binding.command),
    ...commandsNamedInCode().map((named) => named.id),
  ]);
  for (const id of COMMAND_IDS) {
    assert.ok(!hidden.has(id) || elsewhere.has(id) || DEVELOPER_COMMANDS.has(id), `${id} is hidden from the palette and has no menu, keybinding, CodeLens or tree item`);
  }
  // The responsiveness probe is for measuring the editor, not for learners.
  for (const id of DEVELOPER_COMMANDS) assert.ok(hidden.has(id), `${id} is a developer probe: hide it with "when": "false" in menus.commandPalette`);
});

// ---------------------------------------------------------------------------------------------
// Settings

/**
 * Every key read from the extension's settings, with where. Reads are `.get("key")` on
 * `getConfiguration("dlLessons")`, called directly, through a variable holding it, or through a
 * function returning it (`const config = () => vscode.workspace.getConfiguration("dlLessons")`).
 */
function settingsRead(): { key: string; at: string }[] {
  const reads: { key: string; at: string }[] = [];
  // Names bound to a configuration (a variable) or to a function returning one, with its section.
  const aliases = new Map<string, { section: string; isFunction: boolean }>();
  const sectionOf = (call: ts.CallExpression): string => {
    if (call.arguments.length === 0) return "";
    const section = stringArgument(call, 0);
    assert.ok(section !== undefined, `${where(call)}: getConfiguration's section is not a string literal, so this test cannot check it`);
    return section;
  };
  const understood = new Set<ts.CallExpression>();
  visit(extensionSources, (node) => {
    if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || !node.initializer) return;
    const initializer = node.initializer;
    if (ts.isCallExpression(initializer) && calleeName(initializer) === "getConfiguration") {
      aliases.set(node.name.text, { section: sectionOf(initializer), isFunction: false });
      understood.add(initializer);
    } else if (ts.isArrowFunction(initializer) && ts.isCallExpression(initializer.body) && calleeName(initializer.body) === "getConfiguration") {
      aliases.set(node.name.text, { section: sectionOf(initializer.body), isFunction: true });
      understood.add(initializer.body);
    }
  });
  /** The section of the configuration `target` evaluates to, or undefined when it is not one. */
  const configurationSection = (target: ts.Expression): string | undefined => {
    if (ts.isCallExpression(target) && calleeName(target) === "getConfiguration") return sectionOf(target);
    if (ts.isCallExpression(target) && ts.isIdentifier(target.expression)) {
      const alias = aliases.get(target.expression.text);
      return alias?.isFunction ? alias.section : undefined;
    }
    if (ts.isIdentifier(target)) {
      const alias = aliases.get(target.text);
      return alias && !alias.isFunction ? alias.section : undefined;
    }
    return undefined;
  };
  visit(extensionSources, (node) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const method = node.expression.name.text;
    if (method !== "get" && method !== "inspect" && method !== "update") return;
    const section = configurationSection(node.expression.expression);
    if (section === undefined) return;
    if (ts.isCallExpression(node.expression.expression)) understood.add(node.expression.expression);
    const key = stringArgument(node, 0);
    assert.ok(key !== undefined, `${where(node)}: a setting is read by a key that is not a string literal, so this test cannot check it`);
    reads.push({ key: section ? `${section}.${key}` : key, at: where(node) });
  });
  for (const call of calls(extensionSources, "getConfiguration")) {
    assert.ok(understood.has(call), `${where(call)}: getConfiguration is used in a way this test cannot read; read settings with .get("key") on it`);
  }
  return reads;
}

test("every setting read in the code is contributed, and every contributed setting is read", () => {
  const reads = settingsRead();
  const contributed = new Set(settingKeys);
  for (const { key, at } of reads) assert.ok(contributed.has(key), `${at}: reads setting ${key}, which package.json does not contribute`);
  sameSet(new Set(reads.map((read) => read.key)), settingKeys, "settings read in src/extension and contributes.configuration differ (missing: contributed, never read)");
});

test("settings whose changes the code watches are contributed", () => {
  const contributed = new Set(settingKeys);
  for (const call of calls(extensionSources, "affectsConfiguration")) {
    const key = stringArgument(call, 0);
    assert.ok(key !== undefined, `${where(call)}: affectsConfiguration with a key that is not a string literal`);
    assert.ok(contributed.has(key), `${where(call)}: watches ${key}, which package.json does not contribute`);
  }
});

/**
 * The string literals a type alias of `file` stands for: a union of literals, of other aliases in
 * the same file, or `(typeof LIST)[number]` of a `[...] as const` array there.
 */
function literalsOfType(file: string, typeName: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const aliases = new Map<string, ts.TypeNode>();
  const constArrays = new Map<string, ts.Expression>();
  visit([source], (node) => {
    if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node.type);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) constArrays.set(node.name.text, node.initializer);
  });
  const fromArray = (expression: ts.Expression): string[] => {
    const inner = ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression) ? expression.expression : expression;
    assert.ok(ts.isArrayLiteralExpression(inner), `${where(expression)}: expected an array literal`);
    return inner.elements.flatMap((element) => {
      // `[...OTHER_LIST, "x"]` with OTHER_LIST another array of the same file
      const spread = ts.isSpreadElement(element) && ts.isIdentifier(element.expression) ? constArrays.get(element.expression.text) : undefined;
      if (spread) return fromArray(spread);
      assert.ok(ts.isStringLiteralLike(element), `${where(element)}: expected a string literal`);
      return [element.text];
    });
  };
  const expand = (type: ts.TypeNode): string[] => {
    if (ts.isParenthesizedTypeNode(type)) return expand(type.type);
    if (ts.isUnionTypeNode(type)) return type.types.flatMap(expand);
    if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) return [type.literal.text];
    if (ts.isTypeReferenceNode(type) && aliases.has(type.typeName.getText())) return expand(aliases.get(type.typeName.getText()) as ts.TypeNode);
    if (ts.isIndexedAccessTypeNode(type) && ts.isTypeQueryNode(stripParens(type.objectType)) && type.indexType.getText() === "number") {
      const list = constArrays.get((stripParens(type.objectType) as ts.TypeQueryNode).exprName.getText());
      if (list) return fromArray(list);
    }
    assert.fail(`${where(type)}: ${typeName} is written in a way this test cannot read`);
  };
  const root = aliases.get(typeName);
  assert.ok(root, `${typeName} is a type alias in ${path.relative(REPO, file)}`);
  return expand(root);
}
function stripParens(type: ts.TypeNode): ts.TypeNode {
  return ts.isParenthesizedTypeNode(type) ? stripParens(type.type) : type;
}

test("the settings' enums are the code's lists, each with a description and a default among them", () => {
  const properties = contributes.configuration.properties;
  // TODO: compare with the exported list of backend preferences once src/protocol/training.ts has one.
  const backends = literalsOfType(path.join(REPO, "src", "protocol", "training.ts"), "BackendPreference");
  assert.deepEqual(properties[`${SETTINGS_SECTION}.backend`]?.enum, backends, "dlLessons.backend lists BackendPreference of src/protocol/training.ts, in its order");
  assert.deepEqual(properties[`${SETTINGS_SECTION}.trainDataset`]?.enum, ["lesson", ...DATASET_NAMES], "dlLessons.trainDataset is 'lesson' and then DATASET_NAMES");
  for (const [key, property] of Object.entries(properties)) {
    if (!property.enum) continue;
    assert.equal(property.enumDescriptions?.length, property.enum.length, `${key}: one description per value`);
    assert.ok(property.enum.includes(property.default as string), `${key}: its default is one of its values`);
  }
});

// ---------------------------------------------------------------------------------------------
// Views, panels, activation, context keys

test("contributed views are the views the code registers, each of its kind", () => {
  const registered = new Map<string, string>();
  for (const kind of ["registerTreeDataProvider", "createTreeView", "registerWebviewViewProvider"]) {
    for (const call of calls(extensionSources, kind)) registered.set(viewIdOf(call.arguments[0], call), kind === "registerWebviewViewProvider" ? "webview" : "tree");
  }
  const contributed = new Map(Object.values(contributes.views).flatMap((views) => views.map((view) => [view.id, view.type === "webview" ? "webview" : "tree"] as const)));
  assert.deepEqual(Object.fromEntries(registered), Object.fromEntries(contributed), "views registered in src/extension and contributes.views differ (id → tree or webview)");
  for (const container of Object.keys(contributes.views)) assert.ok(containerIds.includes(container), `contributes.views.${container} is not a contributed view container`);
  for (const welcome of contributes.viewsWelcome) assert.ok(viewIds.includes(welcome.view), `viewsWelcome names ${welcome.view}, which is not a contributed view`);
  for (const call of calls(extensionSources, "executeCommand")) {
    const id = stringArgument(call, 0);
    if (id?.startsWith("workbench.view.extension.")) assert.ok(containerIds.includes(id.slice("workbench.view.extension.".length)), `${where(call)}: ${id} opens no contributed view container`);
  }
});

test("each panel brought back after a reload has its activation event, and each event its serializer", () => {
  // Panels register through registerPanelSerializer(viewType, …), which hands its own parameter on
  // to VS Code; every other call names its panel.
  const forwardsItsParameter = (call: ts.CallExpression) => {
    const argument = call.arguments[0];
    return argument !== undefined && ts.isIdentifier(argument) && argument.text === "viewType" && where(call).startsWith("src/extension/panels/webviewHost.ts");
  };
  const serialized = [...calls(extensionSources, "registerWebviewPanelSerializer").filter((call) => !forwardsItsParameter(call)), ...calls(extensionSources, "registerPanelSerializer")]
    .map((call) => viewIdOf(call.arguments[0], call));
  const events = manifest.activationEvents.filter((event) => event.startsWith("onWebviewPanel:")).map((event) => event.slice("onWebviewPanel:".length));
  sameSet(events, serialized, "onWebviewPanel activation events and registerWebviewPanelSerializer calls differ (missing: a panel that cannot come back before activation)");
  for (const event of manifest.activationEvents) {
    // Contributed commands and views activate the extension by themselves (VS Code 1.74+).
    assert.ok(!/^on(Command|View):/.test(event), `activationEvents: ${event} is implied by contributes; remove it`);
  }
  const lessonsFolder = contributes.configuration.properties[`${SETTINGS_SECTION}.lessonsFolder`]?.default;
  assert.ok(manifest.activationEvents.includes(`workspaceContains:${String(lessonsFolder)}`), "the extension activates in a workspace holding the default lessons folder");
});

test("every context key a when clause uses is set by the code", () => {
  const set = new Set<string>();
  for (const call of calls(extensionSources, "executeCommand")) {
    if (stringArgument(call, 0) !== "setContext") continue;
    const key = stringArgument(call, 1);
    assert.ok(key !== undefined, `${where(call)}: setContext with a key that is not a string literal`);
    set.add(key);
  }
  const clauses = [
    ...Object.values(contributes.menus).flatMap((entries) => entries.map((entry) => entry.when)),
    ...contributes.keybindings.map((binding) => binding.when),
    ...contributes.viewsWelcome.map((welcome) => welcome.when),
  ];
  for (const clause of clauses) {
    for (const [key] of (clause ?? "").matchAll(/(?<![\w.])dlLessons\.\w+/g)) {
      if (viewIds.includes(key)) continue; // `view == dlLessons.lessons` compares with a view id
      assert.ok(set.has(key), `a when clause uses ${key}, which no setContext call sets`);
    }
  }
});

test("the docs and the lesson name only settings and commands that exist", () => {
  const known = new Set<string>([...settingKeys, ...COMMAND_IDS, ...viewIds]);
  const documents = [
    "README.md",
    "ARCHITECTURE.md",
    ...fs.readdirSync(path.join(REPO, "docs"), { recursive: true, encoding: "utf8" }).map((name) => path.join("docs", name)),
    ...fs.readdirSync(path.join(REPO, "lessons"), { recursive: true, encoding: "utf8" }).map((name) => path.join("lessons", name)),
  ].filter((name) => name.endsWith(".md"));
  assert.ok(documents.length > 5, "the docs and the lesson's episodes are read");
  for (const document of documents) {
    const text = fs.readFileSync(path.join(REPO, document), "utf8");
    for (const [name] of text.matchAll(/\bdlLessons\.\w+/g)) assert.ok(known.has(name), `${document} names ${name}, which is neither a setting, a command nor a view`);
  }
});

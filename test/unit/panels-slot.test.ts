import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PanelSlot, type SlotPanel } from "../../src/extension/panels/panelSlot";

/** A panel with what the slot sees of one: it records what was done to it, and closes like VS Code's (listeners told once). */
class RecordingPanel implements SlotPanel {
  readonly calls: string[] = [];
  private listeners: (() => void)[] = [];
  constructor(readonly name: string) {}
  readonly onDidDispose = (listener: () => void): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  refresh(): void {
    this.calls.push("refresh");
  }
  reveal(): void {
    this.calls.push("reveal");
  }
  dispose(): void {
    this.calls.push("dispose");
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

describe("the one open panel of a kind", () => {
  it("opens a panel when none is open, then updates, refreshes and reveals that one", () => {
    const slot = new PanelSlot<RecordingPanel>();
    const first = slot.show(() => assert.fail("nothing to update yet"), () => new RecordingPanel("first"));
    assert.equal(slot.open, first);
    assert.deepEqual(first.calls, [], "a new webview asks for its snapshot itself");

    const updated: string[] = [];
    const again = slot.show((open) => updated.push(open.name), () => new RecordingPanel("second"));
    assert.equal(again, first);
    assert.deepEqual(updated, ["first"]);
    assert.deepEqual(first.calls, ["refresh", "reveal"]);
  });

  it("forgets a panel the learner closed, and opens a fresh one next time", () => {
    const slot = new PanelSlot<RecordingPanel>();
    const first = slot.show(() => undefined, () => new RecordingPanel("first"));
    first.dispose();
    assert.equal(slot.open, undefined);
    const second = slot.show(() => assert.fail("the closed panel is not updated"), () => new RecordingPanel("second"));
    assert.equal(second.name, "second");
    assert.equal(slot.open, second);
  });

  it("replaces a panel it may not reuse (another lesson's episode) and one restored after a reload, closing the old one", () => {
    const slot = new PanelSlot<RecordingPanel>();
    const first = slot.show(() => undefined, () => new RecordingPanel("lesson A"));
    const second = slot.show(() => assert.fail("not reusable"), () => new RecordingPanel("lesson B"), (open) => open.name === "lesson B");
    assert.deepEqual(first.calls, ["dispose"]);
    assert.equal(slot.open, second, "closing the old one does not empty the slot");

    const restored = slot.adopt(new RecordingPanel("restored"));
    assert.deepEqual(second.calls, ["dispose"]);
    assert.equal(slot.open, restored);
    assert.equal(slot.adopt(restored), restored, "adopting the open one again keeps it open");
    assert.deepEqual(restored.calls, []);
  });
});

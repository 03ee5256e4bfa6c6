/**
 * The one open panel of each kind, for the five editor panels that show at most one. Only types
 * from 'vscode': unit-tested directly.
 */
import type * as vscode from "vscode";

/** What `PanelSlot` needs of a panel. */
export interface SlotPanel extends vscode.Disposable {
  readonly onDidDispose: vscode.Event<void>;
  refresh(): void;
  reveal(): void;
}

/**
 * The one open panel of a kind (each kind shows at most one): `show` updates and reveals the open
 * panel or opens a new one, and the slot empties when the learner closes it.
 */
export class PanelSlot<TPanel extends SlotPanel> {
  private current: TPanel | undefined;

  get open(): TPanel | undefined {
    return this.current;
  }

  /**
   * Applies `update` to the open panel, sends its snapshot and reveals it; or, with none open (or
   * one `reusable` refuses), closes that one and keeps the panel `create` opens.
   */
  show(update: (open: TPanel) => void, create: () => TPanel, reusable: (open: TPanel) => boolean = () => true): TPanel {
    const open = this.current;
    if (open && reusable(open)) {
      update(open);
      open.refresh();
      open.reveal();
      return open;
    }
    return this.adopt(create());
  }

  /** Keeps `panel` as the open one, closing another (e.g. a panel VS Code restored after a window reload). */
  adopt(panel: TPanel): TPanel {
    const previous = this.current;
    this.current = panel;
    if (previous && previous !== panel) previous.dispose();
    panel.onDidDispose(() => {
      if (this.current === panel) this.current = undefined;
    });
    return panel;
  }
}

// Issue 18: where focus goes when a dialog closes. A dialog opened from a row's Actions menu was
// opened by a menu item that no longer exists when the dialog closes, so focus fell to the page;
// the menu records its trigger, and the dialog returns focus there instead.

let lastMenuTrigger: HTMLElement | null = null;

/** The Actions button whose menu item is opening something now. */
export function rememberMenuTrigger(trigger: HTMLElement | null): void {
  lastMenuTrigger = trigger;
}

/** Where focus should return: the element focused before opening if it is still on the page, else the menu's button. */
export function focusReturnTarget(opener: Element | null): HTMLElement | null {
  if (opener instanceof HTMLElement && opener.isConnected && opener !== document.body) return opener;
  if (lastMenuTrigger?.isConnected) return lastMenuTrigger;
  return null;
}

/** The first field a person would fill in, if the panel has one. */
export function firstField(panel: HTMLElement): HTMLElement | null {
  return panel.querySelector<HTMLElement>(
    "input:not([type=hidden]):not([disabled]):not([readonly]), select:not([disabled]), textarea:not([disabled])",
  );
}

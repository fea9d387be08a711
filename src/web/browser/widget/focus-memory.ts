/** The control that has focus in the list (prompt and action), so a re-render can give it back. */
export function focusedControl(root: ShadowRoot): { promptId: string; action: string } | null {
  const active = root.activeElement;
  const action = active?.getAttribute('data-action');
  const promptId = active?.closest('[data-prompt-id]')?.getAttribute('data-prompt-id');
  return action && promptId ? { promptId, action } : null;
}

export function restoreFocus(container: HTMLElement, control: { promptId: string; action: string }): void {
  const article = [...container.querySelectorAll<HTMLElement>('[data-prompt-id]')].find(
    (element) => element.dataset.promptId === control.promptId,
  );
  article?.querySelector<HTMLElement>(`[data-action="${control.action}"]`)?.focus();
}

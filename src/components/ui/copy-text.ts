/** Copies `text`, falling back to selecting `element` and the legacy copy command off secure origins. */
export async function copyText(text: string, element: HTMLElement | null) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  if (!element) throw new Error('Nothing to copy');
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  if (!document.execCommand('copy')) throw new Error('Copy is not available');
}

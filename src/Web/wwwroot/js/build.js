// Keeps a build log scrolled to its end while the reader is at the end; leaves it alone once they scroll up.
export function followTail(element) {
  if (!element) return;
  const atEnd = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
  if (atEnd || !element.dataset.followed) {
    element.scrollTop = element.scrollHeight;
    element.dataset.followed = '1';
  }
}

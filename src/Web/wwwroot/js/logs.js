// Keeps a log view pinned to its newest line while the user has not scrolled up (following).
// A file of its own because the CSP allows scripts from this origin only.
export function follow(view) {
  let pinned = true;
  view.addEventListener('scroll', () => {
    pinned = view.scrollTop + view.clientHeight >= view.scrollHeight - 30;
  });
  // Virtualize grows its spacer (a style change) rather than adding rows below the fold, so watch both.
  new MutationObserver(() => {
    if (pinned) view.scrollTop = view.scrollHeight;
  }).observe(view, { childList: true, subtree: true, attributes: true, attributeFilter: ['style'] });
}

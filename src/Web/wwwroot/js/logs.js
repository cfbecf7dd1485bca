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

// The viewer's time zone offset in minutes east of UTC (JavaScript counts the other way).
export function timezoneOffsetMinutes() {
  return -new Date().getTimezoneOffset();
}

// Saves text as a file without a round trip to the server.
export function saveText(fileName, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}

export async function copyText(text) {
  await navigator.clipboard.writeText(text);
}

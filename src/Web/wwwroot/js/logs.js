// Keeps a log view pinned to its newest line while the user has not scrolled up (following), and
// asks the page for older lines when the user scrolls to the top.
// A file of its own because the CSP allows scripts from this origin only.
export function follow(view, page, rowHeight) {
  let pinned = true;
  // Tells the page when following starts or stops, so it can offer "Jump to live".
  let told = true;
  const tell = () => {
    if (told === pinned || !page) return;
    told = pinned;
    page.invokeMethodAsync('SetFollowing', pinned);
  };
  view.jumpToLive = () => {
    pinned = true;
    tell();
    ours = true;
    view.scrollTop = view.scrollHeight;
  };
  let loading = false;
  let exhausted = false;
  // Set while a scroll event is our own pinning: only a reader's scroll to the top may load older lines
  // (otherwise the first scroll of a filling view would load history and unpin it from the live end).
  let ours = false;
  view.addEventListener('scroll', async () => {
    if (ours) { ours = false; pinned = true; tell(); return; }
    pinned = view.scrollTop + view.clientHeight >= view.scrollHeight - 30;
    tell();
    if (view.scrollTop > 5 || loading || exhausted || !page || view.scrollHeight <= view.clientHeight) return;
    loading = true;
    try {
      const added = await page.invokeMethodAsync('LoadOlder');
      exhausted = added === 0;
      // Keep the line the user was looking at in place above the lines that arrived.
      if (added > 0) requestAnimationFrame(() => { view.scrollTop = added * rowHeight; });
    } finally {
      loading = false;
    }
  });
  // Virtualize grows its spacer (a style change) rather than adding rows below the fold, so watch both.
  new MutationObserver(() => {
    const end = view.scrollHeight - view.clientHeight;
    if (pinned && Math.abs(view.scrollTop - end) > 1) { ours = true; view.scrollTop = end; }
  }).observe(view, { childList: true, subtree: true, attributes: true, attributeFilter: ['style'] });
}

// Back to the newest line, following again.
export function jumpToLive(view) {
  view.jumpToLive?.();
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

// Lets the browser paint the prerendered page before the heavy parts arrive (issue 2: the containers page's
// first complete render). The page is first drawn with the few MudBlazor rules it uses (css/first-paint.json), the
// prerendered pages use; once that frame is presented this script applies MudBlazor's full stylesheet (linked with
// media="print" so it downloads without blocking the paint) and loads MudBlazor's and Blazor's scripts, in
// that order, then starts Blazor. Run as a deferred script of its own because the CSP allows no inline script.
(() => {
  const boot = document.currentScript;
  // After the first frame is on screen, not merely handed to the compositor: the paint entry is reported once the frame
  // is presented, while a requestAnimationFrame callback runs as soon as the main thread's part of the frame is done,
  // and the scripts' evaluation then competed with that frame's raster for the machine's cores (fleet bench, issue 14).
  const afterFirstPaint = then => {
    let done = false;
    const once = () => { if (!done) { done = true; then(); } };
    new PerformanceObserver((list, observer) => {
      if (list.getEntriesByName('first-contentful-paint').length === 0) return;
      observer.disconnect();
      setTimeout(once, 0);
    }).observe({ type: 'paint', buffered: true });
    setTimeout(once, 1000); // a tab opened in the background paints nothing until it is shown: start anyway
  };
  afterFirstPaint(() => {
    // Linked from the head with media="print", so it downloads with the page without holding its first paint: added
    // only now, the interactive page could be up before the sheet had arrived and lay itself out again under the user.
    for (const sheet of document.querySelectorAll('link[data-after-first-paint]')) sheet.media = 'all';
    const load = (src, attributes, onload) => {
      const script = document.createElement('script');
      script.src = src;
      script.async = false; // keep the order: MudBlazor's helpers exist before Blazor renders a component
      for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
      if (onload) script.onload = onload;
      document.body.appendChild(script);
    };
    load(boot.dataset.mudblazor, {});
    // Enhanced navigation would patch <head> from the next page's HTML and undo the media switch above; the
    // interactive pages route on the client anyway, so the static ones (sign-in) simply load whole pages.
    load(boot.dataset.blazor, { autostart: 'false' }, () => Blazor.start({ ssr: { disableDomPreservation: true } }));
  });
})();

// Lets the browser paint the prerendered page before the heavy parts arrive (issues 2 and 14: the containers page's
// first paint). The page is first drawn with the few MudBlazor rules it uses (css/first-paint.json) and asks for
// nothing else before that frame: even from the browser's cache, each stylesheet, preload or script it named was
// work the renderer did before its first frame on a busy machine. So this script is written into the page (the CSP
// names its hash: BootScript) and, once that frame is presented, asks for MudBlazor's full stylesheet and scripts
// and Blazor's, then starts Blazor.
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
    // The head holds the full stylesheet's place (before app.css, whose rules override it) with an empty link. Blazor
    // starts once it is applied: else the interactive page could lay itself out again under the user when it arrives.
    const sheets = [...document.querySelectorAll('link[data-after-first-paint]')].map(link => new Promise(applied => {
      link.onload = link.onerror = applied;
      link.href = link.dataset.href;
    }));
    const load = (src, attributes) => new Promise(loaded => {
      const script = document.createElement('script');
      script.src = src;
      script.async = false; // keep the order: MudBlazor's helpers exist before Blazor renders a component
      for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
      script.onload = loaded;
      document.body.appendChild(script);
    });
    const scripts = [load(boot.dataset.mudblazor, {}), load(boot.dataset.blazor, { autostart: 'false' })];
    // Enhanced navigation would patch <head> from the next page's HTML and undo the link above; the interactive pages
    // route on the client anyway, so the static ones (sign-in) simply load whole pages.
    Promise.all([...sheets, ...scripts]).then(() => Blazor.start({ ssr: { disableDomPreservation: true } }));
  });
})();

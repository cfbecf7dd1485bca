namespace ControlPanel.EndToEnd.Tests.FirstPaint;

/// <summary>
/// The in-page scripts behind the first-paint stylesheet: a snapshot of every element's computed style, and the
/// selection (and serialisation) of MudBlazor's rules that the prerendered page uses.
/// </summary>
internal static class FirstPaintScripts
{
    /// <summary>
    /// Element key → a hash of its computed style (and of its ::before/::after boxes). The key is the element's
    /// position (among how many siblings) plus its classes and those of its ancestors (a cell of a row marked
    /// "trouble" in one load only is not the same cell in the other), so two loads whose data differ (a row running in one,
    /// exited in the other; a table one row longer, so another row is the last) are only compared where the markup
    /// is the same: other tests add and remove containers meanwhile. Sizes are left out: they follow the text (an uptime ticking); other
    /// lengths are rounded to whole pixels (positions can differ by 1/64 px between two layouts of the same page).
    /// Animations (a spinner) are held at their start so that both loads show the same frame.
    /// </summary>
    public const string StyleHashes = """
        () => {
          const skip = new Set(['width', 'height', 'inline-size', 'block-size', 'perspective-origin', 'transform-origin']);
          // Sorted: the order custom properties are listed in follows the order the stylesheets declared them.
          const styleOf = cs => [...cs].filter(name => !skip.has(name)).sort()
            .map(name => name + ':' + cs.getPropertyValue(name).replace(/-?\d+(\.\d+)?px/g, px => Math.round(parseFloat(px)) + 'px')).join(';');
          document.getAnimations().forEach(a => { a.pause(); a.currentTime = 0; });
          const hash = s => { let h = 2166136261; for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619); return (h >>> 0).toString(16); };
          const out = {};
          window.__styles = {};
          const walk = (el, path) => {
            const key = path + (el.getAttribute('class') ? '.' + el.getAttribute('class').trim().split(/\s+/).join('.') : '');
            const boxes = [['', getComputedStyle(el)], ['::before', getComputedStyle(el, '::before')], ['::after', getComputedStyle(el, '::after')]];
            for (const [pseudo, cs] of boxes) {
              if (pseudo && (cs.content === 'none' || cs.content === 'normal')) continue;
              window.__styles[key + pseudo] = styleOf(cs);
              out[key + pseudo] = hash(window.__styles[key + pseudo]);
            }
            [...el.children].forEach((child, i, all) => walk(child, key + '>' + child.tagName.toLowerCase() + i + 'of' + all.length));
          };
          walk(document.body, 'body');
          return out;
        }
        """;

    /// <summary>The full computed style behind a hash from <see cref="StyleHashes"/>, to name what differs.</summary>
    public const string StyleOf = "key => window.__styles[key]";

    // Pseudo-classes and pseudo-elements are dropped before matching: a rule for a:hover or .x::before is needed
    // when a (or .x) is on the page. Dropping :not(...) only widens the match, which keeps a rule too many. A pseudo-class
    // standing alone after a combinator (browsers serialize ".x>*:first-child" as ".x > :first-child") becomes "*".
    // A class's family is the class up to its last dash (mud-chip-color-success → mud-chip-color-), for classes with
    // two dashes or more: a rule naming a class the page lacks is kept when the page shows one of its family, so a
    // chip or an alert in a state the test data never produced still paints right.
    private const string Matching = """
          const strip = sel => sel
            .replace(/::?(before|after|placeholder|selection|marker|-webkit-[a-z-]+|-moz-[a-z-]+)/g, '')
            .replace(/:(hover|focus|focus-visible|focus-within|active|visited|disabled|enabled|checked|read-only|empty|autofill|first-child|last-child|first-of-type|last-of-type|not\([^)]*\)|nth-child\([^)]*\)|nth-of-type\([^)]*\))/g,
              (m, p, at, all) => /(^|[\s>+~])$/.test(all.slice(0, at)) ? '*' : '');
          const present = new Set([...document.querySelectorAll('[class]')].flatMap(e => [...e.classList]));
          const familyOf = c => (c.match(/-/g) || []).length >= 2 ? c.slice(0, c.lastIndexOf('-') + 1) : null;
          const families = new Set([...present].map(familyOf).filter(f => f));
          const relax = sel => sel.replace(/\.(-?[_a-zA-Z][\w-]*)/g, (m, c) => !present.has(c) && families.has(familyOf(c)) ? `[class*="${familyOf(c)}"]` : m);
          const matches = sel => sel.split(',').some(s => { try { return document.querySelector(relax(strip(s).trim()) || '*') !== null; } catch { return false; } });
        """;

    private const string FullSheet = """
          const sheet = [...document.styleSheets].find(s => s.ownerNode && s.ownerNode.hasAttribute('data-after-first-paint'));
          const grouping = r => r instanceof CSSMediaRule || r instanceof CSSSupportsRule;
        """;

    /// <summary>Keys ("i" or "i/j" inside a @media/@supports) of the full stylesheet's rules that match this page.</summary>
    public const string UsedRuleKeys = "() => {\n" + Matching + FullSheet + """
          const keys = [];
          [...sheet.cssRules].forEach((r, i) => {
            if (r instanceof CSSStyleRule && matches(r.selectorText)) keys.push(`${i}`);
            else if (grouping(r)) [...r.cssRules].forEach((inner, j) => { if (inner instanceof CSSStyleRule && matches(inner.selectorText)) keys.push(`${i}/${j}`); });
          });
          return keys;
        }
        """;

    /// <summary>
    /// [key, css] of the rules with the given keys, in the full stylesheet's order, plus the keyframes they name (keyed
    /// by their own index). A rule inside a @media or @supports comes wrapped in it, so that each text stands alone.
    /// </summary>
    public const string RuleTexts = "keys => {\n" + FullSheet + """
          const wanted = new Set(keys);
          const out = [];
          [...sheet.cssRules].forEach((r, i) => {
            if (wanted.has(`${i}`)) out.push([`${i}`, r.cssText]);
            else if (grouping(r)) [...r.cssRules].forEach((inner, j) => {
              if (wanted.has(`${i}/${j}`)) out.push([`${i}/${j}`, `@${r instanceof CSSMediaRule ? 'media' : 'supports'} ${r.conditionText} {\n  ${inner.cssText}\n}`]);
            });
          });
          const named = out.map(([, css]) => css).join('\n');
          [...sheet.cssRules].forEach((r, i) => { if (r instanceof CSSKeyframesRule && named.includes(r.name)) out.push([`${i}`, r.cssText]); });
          return out;
        }
        """;
}

using System.Globalization;
using ControlPanel.Bench;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

// Log latency benchmark (issue 4): write → line in the DOM of headless Chromium, beside a raw reader
// of the engine's follow stream on the same container in the same run.
int[] rates = args.Length > 0 ? args[0].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray() : [1, 100, 1000, 10000];
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var burstSeconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
var node = Lab.SharedNodes[0];
Console.WriteLine($"Log latency benchmark: rates {string.Join(", ", rates)} lines/s, {seconds} s each, node {node.Name}");

await using var lab = new LabContainers();
await using var panel = new PanelFactory(withBrokenNode: false);
panel.UseKestrel(0);
panel.StartServer();
var baseUrl = panel.ClientOptions.BaseAddress.ToString().TrimEnd('/');
var user = await panel.CreateUserAsync(Role.Viewer);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = Lab.Current.Chromium,
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
// Records, for every log line the page adds to the DOM, now minus the engine's timestamp on it.
await context.AddInitScriptAsync("""
    window.__latencies = [];
    new MutationObserver(records => {
      const now = Date.now();
      for (const r of records) for (const n of r.addedNodes)
        if (n.nodeType === 1 && n.dataset && n.dataset.ts) window.__latencies.push(now - Number(n.dataset.ts));
    }).observe(document, { childList: true, subtree: true });
    """);
var signIn = await context.NewPageAsync();
await signIn.GotoAsync($"{baseUrl}/account/login");
await signIn.Locator("input[name=userName]").FillAsync(user.UserName);
await signIn.Locator("input[name=password]").FillAsync(user.Password);
await signIn.Locator("button[type=submit]").ClickAsync();
await signIn.WaitForURLAsync($"{baseUrl}/containers");
await signIn.CloseAsync();

Console.WriteLine();
Console.WriteLine($"{"rate/s",8} {"written",8} {"raw p50",9} {"raw p99",9} {"page n",7} {"page p50",9} {"page p99",9} {"p99 − raw",10}");
foreach (var rate in rates)
{
    var id = await lab.RunAsync(node, "logger", $"latency-{rate}", new Dictionary<string, string> { ["PREFIX"] = "t", ["RATE"] = rate.ToString(CultureInfo.InvariantCulture), ["COUNT"] = "0" });
    var page = await context.NewPageAsync();
    await page.GotoAsync($"{baseUrl}/logs?c={node.Name}/{id}&tail=0");
    await page.Locator("[data-circuit=on]").WaitForAsync();
    using var window = new CancellationTokenSource();
    var raw = RawLogFollower.FollowAsync(node.Endpoint, id, window.Token);
    await Task.Delay(2000); // both readers attached and settled; only what follows is measured
    await page.EvaluateAsync("() => window.__latencies.length = 0");
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    var pageLatencies = (await page.EvaluateAsync<double[]>("() => window.__latencies.slice()")).ToList();
    await window.CancelAsync();
    var rawLatencies = await raw;
    await lab.Client(node).Containers.RemoveContainerAsync(id, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
    await page.CloseAsync();
    Console.WriteLine($"{rate,8} {rawLatencies.Count,8} {P(rawLatencies, 50),9:0.0} {P(rawLatencies, 99),9:0.0} {pageLatencies.Count,7} {P(pageLatencies, 50),9:0.0} {P(pageLatencies, 99),9:0.0} {P(pageLatencies, 99) - P(rawLatencies, 99),10:0.0}");
}
Console.WriteLine();
await FanOut.RunAsync(panel, lab);
await Flood.RunAsync(context, baseUrl, lab, lines: 3_000_000, maxSeconds: 60);
await Bursts.RunAsync(context, baseUrl, lab, burstSeconds);
Console.WriteLine();
Console.WriteLine("Target at ≤ 1,000 lines/s: page p99 ≤ raw p99 + 150 ms. 'page n' counts lines that entered the DOM (the view is virtualized: at high rates lines scrolled past between renders never do).");

static double P(List<double> samples, int percentile)
{
    if (samples.Count == 0) return double.NaN;
    var sorted = samples.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}

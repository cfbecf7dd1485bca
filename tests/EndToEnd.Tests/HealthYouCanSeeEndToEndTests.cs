using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>
/// On call: one of a service's two replicas fails its health check. It is marked in the error colour on every page that
/// lists it, and from the containers page it is restarted safely in two clicks (the filter, then the row's button).
/// </summary>
public sealed class HealthYouCanSeeEndToEndTests() : ServiceBrowserTestBase("oncall-")
{
    [Fact]
    public async Task AnUnhealthyReplica_IsShownInTheErrorColour_OnTheContainersReplicaAndServicesPages()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        var (sick, well) = await OneUnhealthyReplicaAsync(admin);

        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.Locator("input[data-testid=filter-text]").FillAsync(Service);
        await ExpectMarkedUnhealthyAsync(page.Locator($"tr[data-container='{sick}']"));
        await ExpectHealthyAsync(page.Locator($"tr[data-container='{well}']"));

        await page.Locator("a[href='/services']").First.ClickAsync();
        var listed = page.Locator($"tr[data-service='{Service}']");
        await Assertions.Expect(listed.Locator("[data-testid=healthy-count]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*1/2 healthy\s*$"), new() { Timeout = 15_000 });
        await Assertions.Expect(listed.Locator("[data-testid=replica-health]")).ToContainTextAsync("release 1");
        await Assertions.Expect(listed.Locator("[data-testid=unhealthy-count]")).ToContainTextAsync("1 unhealthy");
        await ExpectErrorColourAsync(listed.Locator("[data-testid=unhealthy-count]"));

        await listed.Locator($"a[href='/services/{Service}']").ClickAsync();
        var replicas = page.Locator("[data-testid=replicas]");
        await ExpectMarkedUnhealthyAsync(replicas.Locator($"tr[data-container='{sick}']"));
        await ExpectHealthyAsync(replicas.Locator($"tr[data-container='{well}']"));
        await Assertions.Expect(replicas.Locator($"tr[data-container='{sick}'] [data-action=logs]")).ToBeVisibleAsync();

        // The container page says so too, and links back to where the replica comes from.
        await replicas.Locator($"tr[data-container='{sick}'] a[href^='/nodes/']").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(sick);
        await Assertions.Expect(page.Locator("[data-testid=health]")).ToHaveTextAsync("unhealthy");
        await ExpectErrorColourAsync(page.Locator("[data-testid=health]"));
        var origin = page.Locator("[data-testid=replica-of]");
        await Assertions.Expect(origin.Locator("[data-link=service]")).ToHaveAttributeAsync("href", $"/services/{Service}");
        await Assertions.Expect(origin.Locator("[data-link=release]")).ToHaveTextAsync("release 1");
        await origin.Locator("[data-link=deployment]").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("release 1");
    }

    [Fact]
    public async Task OnCall_RestartsTheUnhealthyReplicaSafely_FromTheContainersPage_InTwoClicks()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        var (sick, _) = await OneUnhealthyReplicaAsync(admin);
        var before = Assert.Single(await Containers.ServiceReplicasAsync(Service), r => r.Container.Names.Contains("/" + sick)).Container;
        var startedBefore = (await Containers.InspectAsync(Lab.SharedNodes[0], before.ID)).State!.StartedAt;

        var page = await SignInAsync(await UserAsync(Role.Operator));
        // The journey is these two steps and nothing else: typing the filter (one), then the row's button (two).
        await page.Locator("input[data-testid=filter-text]").FillAsync(Service);
        var row = page.Locator($"tr[data-container='{sick}']");
        await ExpectMarkedUnhealthyAsync(row); // seen before the click
        await Assertions.Expect(page.Locator("tr[data-container]")).ToHaveCountAsync(2, new() { Timeout = 15_000 }); // filtered: rows stay put
        await row.Locator("[data-action=restart-safely]").ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/deployments/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("safe restart of release 1");
        await Assertions.Expect(page.Locator("[data-status=succeeded]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var after = (await Containers.InspectAsync(Lab.SharedNodes[0], before.ID)).State!;
        Assert.True(after.Running);
        Assert.NotEqual(startedBefore, after.StartedAt);
        // Its start wrote the health file back: healthy again, and shown so.
        await LabContainers.WaitUntilAsync(async () => (await Containers.InspectAsync(Lab.SharedNodes[0], before.ID)).State!.Health?.Status == "healthy",
            TimeSpan.FromSeconds(30), "the restarted replica to be healthy");
    }

    /// <summary>Deploys two replicas and removes the health file of the first, so its health check fails; returns the names (sick, well).</summary>
    private async Task<(string Sick, string Well)> OneUnhealthyReplicaAsync(HttpClient admin)
    {
        var replicas = (await DeployLabWebAsync(admin, replicasPerNode: 2)).OrderBy(r => r.Container.Names[0], StringComparer.Ordinal).ToList();
        Assert.Equal(2, replicas.Count);
        var node = Lab.SharedNodes[0];
        var sick = replicas[0].Container;
        var exec = await Containers.Client(node).Exec.CreateContainerExecAsync(sick.ID, new ContainerExecCreateParameters { Cmd = ["rm", "/www/health"] });
        using (await Containers.Client(node).Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters())) { }
        await LabContainers.WaitUntilAsync(async () => (await Containers.InspectAsync(node, sick.ID)).State!.Health?.Status == "unhealthy",
            TimeSpan.FromSeconds(30), "the replica's health check to fail");
        return (sick.Names[0].TrimStart('/'), replicas[1].Container.Names[0].TrimStart('/'));
    }

    private static async Task ExpectMarkedUnhealthyAsync(ILocator row)
    {
        await Assertions.Expect(row.Locator("[data-testid=health]")).ToHaveTextAsync("unhealthy", new() { Timeout = 15_000 });
        await Assertions.Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\btrouble\b"));
        await ExpectErrorColourAsync(row.Locator("[data-testid=health]"));
    }

    private static async Task ExpectHealthyAsync(ILocator row)
    {
        await Assertions.Expect(row.Locator("[data-testid=health]")).ToHaveTextAsync("healthy", new() { Timeout = 15_000 });
        await Assertions.Expect(row).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\btrouble\b"));
    }

    /// <summary>The text is in the theme's error colour, whatever the theme (light or dark) makes of it, and differs from the page's text.</summary>
    private static async Task ExpectErrorColourAsync(ILocator element)
    {
        var colours = await element.Page.EvaluateAsync<string[]>("""
            () => {
                const probe = document.createElement('span');
                probe.style.color = 'var(--mud-palette-error)';
                document.body.appendChild(probe);
                const error = getComputedStyle(probe).color;
                probe.remove();
                return [error, getComputedStyle(document.body).color];
            }
            """);
        Assert.NotEqual(colours[1], colours[0]);
        await Assertions.Expect(element).ToHaveCSSAsync("color", colours[0]); // retried: a live page may redraw the element meanwhile
    }
}

using System.Net.Http.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>A team lead builds from the service page and watches it live in Chromium.</summary>
public sealed class BuildPageEndToEndTests : BrowserTestBase
{
    private readonly GitTestRepository _repo = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task BuildButton_OpensTheLiveBuild_WhichShowsPhasesStepsPushAndOutput()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        _repo.Write("Dockerfile", $"FROM {Lab.Image("busybox")}\nRUN echo {unique} && sleep 1\nCOPY data.bin /data.bin\n").Write("data.bin", new string('d', 200_000) + unique);
        var sha = _repo.Commit("page build");
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/page-{unique}", new { repositoryUrl = _repo.Path, registry = "lab", imageRepository = $"tests/page-{unique}" })).EnsureSuccessStatusCode();

        var page = await SignInAsync(await UserAsync(Role.Deployer));
        await page.GotoAsync($"{BaseUrl}/services/page-{unique}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await page.Locator("[data-testid=start-build]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/builds/[0-9a-f-]{36}$"));

        var log = page.Locator("[data-testid=build-log]");
        await Assertions.Expect(log).ToContainTextAsync(unique, new() { Timeout = 60_000 }); // the RUN step's output, live
        await Assertions.Expect(page.Locator("[data-status=succeeded]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-phase][data-state=done]")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("[data-testid=build-commit]")).ToContainTextAsync(sha[..7]);
        await Assertions.Expect(page.Locator("[data-testid=steps] [data-step]")).ToHaveCountAsync(3);
        Assert.True(await page.Locator("[data-layer]").CountAsync() >= 2, "push progress per layer");
        await Assertions.Expect(page.Locator("[data-testid=build-image]")).ToContainTextAsync("sha256:");
        await Assertions.Expect(log).ToContainTextAsync("Pushed");
        Assert.Equal(0, await page.Locator("[data-testid=cancel-build]").CountAsync()); // nothing to cancel once finished
    }
}

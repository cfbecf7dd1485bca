using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>A Deployer connects a repository's webhook from the service page; a Viewer sees the hook but cannot change it.</summary>
public sealed class PushToDeployEndToEndTests() : ServiceBrowserTestBase("page-push-")
{
    [Fact]
    public async Task ADeployerCreatesTheHook_SeesTheSecretOnce_AndThePushesItReceived()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        Repo.Write("Dockerfile", $"FROM {Lab.Image("busybox")}\nCMD [\"sleep\", \"3600\"]\n");
        var head = Repo.Commit("first");
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new { repositoryUrl = Repo.Path, branch = "main", registry = "lab", imageRepository = $"tests/{Service}" }))
            .EnsureSuccessStatusCode();

        var page = await SignInAsync(await UserAsync(Role.Deployer));
        await OpenServicePageAsync(page);
        var panel = page.Locator("[data-testid=push-to-deploy]");
        await Assertions.Expect(panel.Locator("[data-testid=push-hook-none]")).ToContainTextAsync("main");
        await panel.Locator("[data-testid=push-hook-create]").ClickAsync();

        await Assertions.Expect(panel.Locator("[data-testid=push-hook-secret-shown]")).ToContainTextAsync("will not be shown again");
        var secret = (await panel.Locator("[data-testid=push-hook-secret]").InnerTextAsync()).Trim();
        var url = (await panel.Locator("[data-testid=push-hook-url]").InnerTextAsync()).Trim();
        Assert.Equal($"{BaseUrl}/hooks/push/{Service}", url);
        // Build only, so the push below needs no runtime to end well.
        await panel.Locator("[data-testid=push-hook-auto-deploy] input").ClickAsync();
        await Assertions.Expect(panel.Locator("[data-testid=push-hook-auto-deploy]")).ToContainTextAsync("only builds");

        // The git host: one push to a tag, one to the service's branch, signed with the secret the page showed.
        using var gitHost = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await SendAsync(gitHost, url, secret, "refs/tags/v1", head, "tag-1")).StatusCode);
        var started = await (await SendAsync(gitHost, url, secret, "refs/heads/main", head, "main-1")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("started", started.GetProperty("outcome").GetString());

        // Back to the service page by clicking: the deliveries are listed, and the secret is not shown again.
        await OpenServicePageAsync(page);
        var deliveries = panel.Locator("[data-testid=push-deliveries] tbody tr");
        await Assertions.Expect(deliveries).ToHaveCountAsync(2);
        await Assertions.Expect(deliveries.Nth(0)).ToContainTextAsync("Started");
        await Assertions.Expect(deliveries.Nth(0)).ToContainTextAsync("octocat");
        await Assertions.Expect(deliveries.Nth(0)).ToContainTextAsync(head[..7]);
        await Assertions.Expect(deliveries.Nth(0).Locator("[data-testid=push-delivery-pipeline]"))
            .ToHaveAttributeAsync("href", $"/pipelines/{started.GetProperty("pipelineId").GetGuid()}");
        await Assertions.Expect(deliveries.Nth(1)).ToContainTextAsync("Ignored");
        await Assertions.Expect(panel.Locator("[data-testid=push-hook-secret]")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        // The delivery's link opens the pipeline it started, on the pushed commit.
        await deliveries.Nth(0).Locator("[data-testid=push-delivery-pipeline]").ClickAsync();
        await page.WaitForURLAsync($"{BaseUrl}/pipelines/{started.GetProperty("pipelineId").GetGuid()}");
        await Assertions.Expect(page.Locator("[data-testid=pipeline-commit]")).ToContainTextAsync(head[..7]);

        var viewer = await SignInAsync(await UserAsync(Role.Viewer));
        await OpenServicePageAsync(viewer);
        var seen = viewer.Locator("[data-testid=push-to-deploy]");
        await Assertions.Expect(seen.Locator("[data-testid=push-hook-url]")).ToHaveTextAsync(url);
        await Assertions.Expect(seen).ToContainTextAsync("Auto-deploy is off");
        await Assertions.Expect(seen.Locator("[data-testid=push-hook-rotate]")).ToHaveCountAsync(0);
        await Assertions.Expect(seen.Locator("[data-testid=push-hook-auto-deploy]")).ToHaveCountAsync(0);
    }

    private async Task OpenServicePageAsync(IPage page)
    {
        await page.Locator("a[href='/services']").First.ClickAsync();
        await page.Locator($"a[href='/services/{Service}']").ClickAsync();
        await page.WaitForURLAsync($"{BaseUrl}/services/{Service}");
        await page.Locator("[data-testid=push-to-deploy]").WaitForAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string url, string secret, string pushedRef, string after, string deliveryId)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { @ref = pushedRef, after, pusher = new { name = "octocat" } });
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        return await client.SendAsync(request);
    }
}

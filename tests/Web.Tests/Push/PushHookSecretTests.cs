using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests.Push;

/// <summary>The hook's secret: generated, shown once, stored encrypted, rotated by Deployers only.</summary>
public sealed class PushHookSecretTests : PushHookTestBase
{
    [Fact]
    public async Task Secret_IsShownOnce_StoredEncrypted_AndNeverReturnedByGet()
    {
        var secret = await CreateHookAsync();

        Assert.Matches("^[A-Za-z0-9_-]{43}$", secret);
        await using (var db = await Factory.Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync())
        {
            var row = await db.PushHooks.SingleAsync(h => h.Service == Service);
            Assert.DoesNotContain(secret, row.ProtectedSecret, StringComparison.Ordinal);
            Assert.True(row.ProtectedSecret.Length > secret.Length);
        }
        var read = await Deployer.GetStringAsync($"/api/services/{Service}/push-hook");
        Assert.DoesNotContain(secret, read, StringComparison.Ordinal);
        var hook = JsonDocument.Parse(read).RootElement;
        Assert.Equal(JsonValueKind.Null, hook.GetProperty("secret").ValueKind);
        Assert.EndsWith($"/hooks/push/{Service}", hook.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotating_MakesANewSecret_AndTheOldOneStopsWorking()
    {
        var old = await CreateHookAsync();
        var response = await Deployer.PutAsJsonAsync($"/api/services/{Service}/push-hook", new { autoDeploy = true, rotateSecret = true });
        var rotated = (await JsonOf(response)).GetProperty("secret").GetString();

        Assert.NotEqual(old, rotated);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendGitHubAsync(GitHubPush("refs/heads/main", Head), old, "old-secret")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendGitHubAsync(GitHubPush("refs/heads/main", Head), rotated, "new-secret")).StatusCode);
    }

    [Fact]
    public async Task SwitchingAutoDeploy_KeepsTheSecret_UnlessRotatingIsAskedFor()
    {
        var secret = await CreateHookAsync(autoDeploy: true);

        // No rotateSecret: an existing hook keeps its secret.
        var response = await Deployer.PutAsJsonAsync($"/api/services/{Service}/push-hook", new { autoDeploy = false });

        var saved = await JsonOf(response);
        Assert.Equal(JsonValueKind.Null, saved.GetProperty("secret").ValueKind);
        Assert.False(saved.GetProperty("autoDeploy").GetBoolean());
        Assert.Equal(HttpStatusCode.Accepted, (await SendGitHubAsync(GitHubPush("refs/heads/main", Head), secret, "kept")).StatusCode);
        Assert.False(Assert.Single(Pipelines.Requests).Request.Deploy);
    }

    [Fact]
    public async Task Viewer_ReadsTheHook_ButCannotCreateRotateOrDeleteIt()
    {
        var secret = await CreateHookAsync();
        var viewer = await Factory.CreateClientAsync(Core.Security.Role.Viewer);

        var rotate = await viewer.PutAsJsonAsync($"/api/services/{Service}/push-hook", new { autoDeploy = true });
        var delete = await viewer.DeleteAsync($"/api/services/{Service}/push-hook");
        var read = await viewer.GetAsync($"/api/services/{Service}/push-hook");

        Assert.Equal(HttpStatusCode.Forbidden, rotate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.DoesNotContain(secret, await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The secret a Viewer could not rotate still works.
        Assert.Equal(HttpStatusCode.Accepted, (await SendGitHubAsync(GitHubPush("refs/heads/main", Head), secret, "after-viewer")).StatusCode);
    }

    [Fact]
    public async Task DeletingTheHook_MakesItsUrlAnswer401()
    {
        var secret = await CreateHookAsync();

        var deleted = await Deployer.DeleteAsync($"/api/services/{Service}/push-hook");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendGitHubAsync(GitHubPush("refs/heads/main", Head), secret, "after-delete")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/services/{Service}/push-hook")).StatusCode);
        Assert.Empty(Pipelines.Requests);
    }

    [Fact]
    public async Task HookOfAnUnknownService_Is404_ForTheApi()
    {
        var response = await Deployer.PutAsJsonAsync("/api/services/no-such-service/push-hook", new { autoDeploy = true });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

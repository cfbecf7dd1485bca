using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Pipelines;
using ControlPanel.Core.Pipelines.Push;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests.Push;

/// <summary>Which deliveries ask for a pipeline, by each git host's scheme, and which start nothing.</summary>
public sealed class PushHookDeliveryTests : PushHookTestBase
{
    [Fact]
    public async Task SignedGitHubPush_ToTheServiceBranch_RequestsABuildAndDeployOfThatCommit_AsThePusher()
    {
        var secret = await CreateHookAsync();

        var response = await SendGitHubAsync(GitHubPush("refs/heads/main", Head, "octocat"), secret, "gh-1");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await JsonOf(response);
        Assert.Equal("started", receipt.GetProperty("outcome").GetString());
        var (request, who) = Assert.Single(Pipelines.Requests);
        Assert.Equal(new PipelineRequest(Service, "main", PipelineTrigger.Push, Deploy: true, Commit: Head, Provider: "github", DeliveryId: "gh-1"), request);
        Assert.Equal("octocat (push)", who.Name);
        Assert.Equal(receipt.GetProperty("pipelineId").GetGuid(), await PipelineOfAsync("gh-1"));
        var audit = await Admin.GetStringAsync($"/api/audit?action=pipeline.push&target={Service}");
        Assert.Contains("octocat (push)", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedGiteaPush_IsTakenAsGitea_EvenThoughItAlsoSendsGitHubHeaders()
    {
        var secret = await CreateHookAsync();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { @ref = "refs/heads/main", after = Head, pusher = new { login = "gitea-user", username = "gitea-user" } });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/push/{Service}") { Content = new ByteArrayContent(body) };
        // As Gitea documents its deliveries: its own headers and GitHub's, the signature in GitHub's form.
        request.Headers.Add("X-Gitea-Event", "push");
        request.Headers.Add("X-Gitea-Delivery", "gitea-1");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", "gitea-1");
        request.Headers.Add("X-Hub-Signature-256", Core.Pipelines.Push.PushVerification.GitHubSignature(secret, body));

        var response = await Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var (asked, who) = Assert.Single(Pipelines.Requests);
        Assert.Equal(("gitea", "gitea-1", Head), (asked.Provider, asked.DeliveryId, asked.Commit));
        Assert.Equal("gitea-user (push)", who.Name);
    }

    [Fact]
    public async Task GitLabPush_WithItsToken_RequestsAPipeline_AndAWrongTokenGets401()
    {
        var secret = await CreateHookAsync();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { object_kind = "push", @ref = "refs/heads/main", after = Head, user_name = "Jane Doe", user_username = "jane" });

        var wrong = await SendGitLabAsync(body, secret + "x", "gl-0");
        var right = await SendGitLabAsync(body, secret, "gl-1");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, right.StatusCode);
        var (asked, who) = Assert.Single(Pipelines.Requests);
        Assert.Equal(("gitlab", "gl-1"), (asked.Provider, asked.DeliveryId));
        Assert.Equal("jane (push)", who.Name);
    }

    [Fact]
    public async Task WrongOrMissingSignature_OrUnknownService_Gets401_AllAlike_AndStartsNothing()
    {
        var secret = await CreateHookAsync();
        var body = GitHubPush("refs/heads/main", Head);

        var wrong = await SendGitHubAsync(body, "not-the-secret", "bad-1");
        var missing = await SendGitHubAsync(body, null, "bad-2");
        var unknown = await SendGitHubAsync(body, secret, "bad-3", service: "no-such-service");
        // Signed, but over other bytes than those received.
        var tampered = await SendTamperedAsync(secret);

        var refused = new[] { wrong, missing, unknown, tampered };
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        var details = await Task.WhenAll(refused.Select(async r => (await JsonOf(r)).GetProperty("detail").GetString()));
        Assert.Single(details.Distinct());
        Assert.Empty(Pipelines.Requests);
        Assert.Empty((await Deployer.GetFromJsonAsync<JsonElement[]>($"/api/services/{Service}/push-hook/deliveries"))!);
    }

    [Fact]
    public async Task Replay_OfADeliveryId_StartsNothing()
    {
        var secret = await CreateHookAsync();
        var body = GitHubPush("refs/heads/main", Head);

        var first = await SendGitHubAsync(body, secret, "same-id");
        var replay = await SendGitHubAsync(body, secret, "same-id");

        Assert.Equal("started", (await JsonOf(first)).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal("replay", (await JsonOf(replay)).GetProperty("outcome").GetString());
        Assert.Single(Pipelines.Requests);
    }

    [Fact]
    public async Task LongPusherName_IsClipped_SoTheActorFitsItsColumns()
    {
        var secret = await CreateHookAsync();

        var response = await SendGitHubAsync(GitHubPush("refs/heads/main", Head, new string('p', 300)), secret, "long-pusher");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var (_, who) = Assert.Single(Pipelines.Requests);
        Assert.Equal(200, who.Name.Length);
        Assert.EndsWith("p (push)", who.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameSignedBody_WithAFreshDeliveryId_IsAReplay_AndStartsNothing()
    {
        var secret = await CreateHookAsync();
        var body = GitHubPush("refs/heads/main", Head);

        var first = await SendGitHubAsync(body, secret, "captured");
        // The id header is not covered by the signature: anyone holding the signed body can pick a new one.
        var replay = await SendGitHubAsync(body, secret, "fresh-id");

        Assert.Equal("started", (await JsonOf(first)).GetProperty("outcome").GetString());
        Assert.Equal("replay", (await JsonOf(replay)).GetProperty("outcome").GetString());
        Assert.Single(Pipelines.Requests);
    }

    [Fact]
    public async Task TrimmingTheLog_KeepsTheReplayKeysOfAStartedDelivery()
    {
        var secret = await CreateHookAsync();
        var body = GitHubPush("refs/heads/main", Head);
        await SendGitHubAsync(body, secret, "started-once");
        var store = Factory.Services.GetRequiredService<IPushHookStore>();

        // Three newer ignored deliveries with a log of two: the started one is beyond the newest two.
        for (var i = 0; i < 3; i++)
            Assert.True(await store.TryAddDeliveryAsync(new PushDelivery(Service, "github", $"ignored-{i}", DateTimeOffset.UtcNow, "issues", null, null, null,
                PushOutcome.Ignored, "not a push", BodyHash: $"{i:x64}"), keep: 2, default));
        var replay = await SendGitHubAsync(body, secret, "started-once");

        Assert.Equal("replay", (await JsonOf(replay)).GetProperty("outcome").GetString());
        Assert.Single(Pipelines.Requests);
        var logged = (await Deployer.GetFromJsonAsync<JsonElement[]>($"/api/services/{Service}/push-hook/deliveries"))!.Select(d => d.GetProperty("deliveryId").GetString());
        Assert.Equal(["ignored-2", "ignored-1", "started-once"], logged);
    }

    [Fact]
    public async Task DeliveryThatCouldNotStartAPipeline_Is422_AndItsRedeliveryStartsIt()
    {
        var secret = await CreateHookAsync();
        var body = GitHubPush("refs/heads/main", Head);
        Pipelines.FailNext = new InvalidOperationException("queue broke at line 42");

        var failed = await SendGitHubAsync(body, secret, "flaky");
        var logged = await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/push-hook/deliveries/flaky");
        var redelivered = await SendGitHubAsync(body, secret, "flaky");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode);
        var receipt = await JsonOf(failed);
        Assert.Equal("failed", receipt.GetProperty("outcome").GetString());
        Assert.DoesNotContain("line 42", receipt.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Failed", logged.GetProperty("delivery").GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        Assert.Equal("started", (await JsonOf(redelivered)).GetProperty("outcome").GetString());
        Assert.Single(Pipelines.Requests);
        Assert.Equal("Started", (await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/push-hook/deliveries/flaky")).GetProperty("delivery").GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("refs/heads/feature", "branch 'feature'")]
    [InlineData("refs/tags/v1.0", "tag push")]
    public async Task PushToAnotherBranchOrATag_IsIgnoredWithTheReason_AndLogged(string pushedRef, string reason)
    {
        var secret = await CreateHookAsync();

        var response = await SendGitHubAsync(GitHubPush(pushedRef, Head), secret, "other-1");

        var receipt = await JsonOf(response);
        Assert.Equal("ignored", receipt.GetProperty("outcome").GetString());
        Assert.Contains(reason, receipt.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(Pipelines.Requests);
        var logged = Assert.Single((await Deployer.GetFromJsonAsync<JsonElement[]>($"/api/services/{Service}/push-hook/deliveries"))!);
        Assert.Equal(("Ignored", pushedRef), (logged.GetProperty("outcome").GetString(), logged.GetProperty("ref").GetString()));
    }

    [Fact]
    public async Task BranchDeletion_AndOtherEvents_StartNothing_AndPingIsAnswered()
    {
        var secret = await CreateHookAsync();

        var deleted = await SendGitHubAsync(GitHubPush("refs/heads/main", new string('0', 40)), secret, "del-1");
        var issue = await SendGitHubAsync(Utf8("{\"action\":\"opened\"}"), secret, "issue-1", eventName: "issues");
        var ping = await SendGitHubAsync(Utf8("{\"zen\":\"Keep it logically awesome.\"}"), secret, "ping-1", eventName: "ping");

        Assert.Equal("ignored", (await JsonOf(deleted)).GetProperty("outcome").GetString());
        Assert.Equal("ignored", (await JsonOf(issue)).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Empty(Pipelines.Requests);
    }

    [Fact]
    public async Task AutoDeployOff_RequestsABuildOnly()
    {
        var secret = await CreateHookAsync(autoDeploy: false);

        await SendGitHubAsync(GitHubPush("refs/heads/main", Head), secret, "build-only");

        var (request, _) = Assert.Single(Pipelines.Requests);
        Assert.False(request.Deploy);
        var detail = await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/push-hook/deliveries/build-only");
        Assert.False(detail.GetProperty("pipelineDeploys").GetBoolean());
        Assert.Equal("Queued", detail.GetProperty("pipelineStatus").GetString());
    }

    [Fact]
    public async Task SignedBodyThatIsNotAPushPayload_Is400_AndABodyOverTheLimit_Is413()
    {
        var secret = await CreateHookAsync();

        var notJson = await SendGitHubAsync(Utf8("ref=refs/heads/main"), secret, "bad-json");
        var huge = await SendGitHubAsync(new byte[(int)Api.PushHookEndpoints.MaxBodyBytes + 1], secret, "huge");

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Empty(Pipelines.Requests);
    }

    [Fact]
    public async Task UnsignedDelivery_IsRefusedOnItsHeaders_BeforeItsBodyIsRead()
    {
        await CreateHookAsync();

        // Over the size limit: had the body been read first, this would be 413.
        var unsigned = await SendGitHubAsync(new byte[(int)Api.PushHookEndpoints.MaxBodyBytes + 1], null, "unsigned-huge");

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Empty(Pipelines.Requests);
    }

    [Fact]
    public async Task FloodOfWrongSignatures_FromOneAddress_Gets429()
    {
        await CreateHookAsync();
        var body = GitHubPush("refs/heads/main", Head);

        // The limit is per minute: 200 refusals within at most two minutes put more than the limit into one of them.
        HttpResponseMessage? throttled = null;
        for (var i = 0; i < 200 && throttled is null; i++)
        {
            var response = await SendGitHubAsync(body, "not-the-secret", $"flood-{i}");
            if (response.StatusCode == HttpStatusCode.TooManyRequests) throttled = response;
            else Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.NotNull(throttled);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Empty(Pipelines.Requests);
    }

    private async Task<Guid> PipelineOfAsync(string deliveryId)
    {
        var detail = await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/push-hook/deliveries/{deliveryId}");
        Assert.Equal("Started", detail.GetProperty("delivery").GetProperty("outcome").GetString());
        return detail.GetProperty("pipelineId").GetGuid();
    }

    private async Task<HttpResponseMessage> SendTamperedAsync(string secret)
    {
        var signedBody = GitHubPush("refs/heads/main", Head, "octocat");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/push/{Service}") { Content = new ByteArrayContent(GitHubPush("refs/heads/main", Head, "mallory!")) };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", "tampered");
        request.Headers.Add("X-Hub-Signature-256", Core.Pipelines.Push.PushVerification.GitHubSignature(secret, signedBody));
        return await Anonymous.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendGitLabAsync(byte[] body, string token, string uuid)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/push/{Service}") { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-Gitlab-Event", "Push Hook");
        request.Headers.Add("X-Gitlab-Event-UUID", uuid);
        request.Headers.Add("X-Gitlab-Token", token);
        return await Anonymous.SendAsync(request);
    }
}

using System.Text;
using ControlPanel.Core.Pipelines.Push;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ControlPanel.Core.Tests.Pipelines;

public sealed class PushVerificationTests
{
    private const string Secret = "s3cret-for-tests";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"ref\":\"refs/heads/main\"}");

    private static Dictionary<string, string> Headers(params (string Name, string Value)[] headers) =>
        headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Gitea_IsTakenByItsOwnHeader_BeforeTheGitHubHeadersItAlsoSends()
    {
        var headers = Headers(("X-GitHub-Event", "push"), ("X-Gitea-Event", "push"), ("X-GitHub-Delivery", "a"), ("X-Gitea-Delivery", "b"));

        Assert.Equal((PushProviders.Gitea, "push"), PushVerification.Identify(headers));
        Assert.Equal("b", PushVerification.DeliveryId(PushProviders.Gitea, headers));
        Assert.Null(PushVerification.Identify(Headers(("X-Other-Event", "push"))));
    }

    [Fact]
    public void HasCredential_NeedsTheProvidersOwnSignatureHeader()
    {
        Assert.True(PushVerification.HasCredential(PushProviders.GitHub, Headers(("X-Hub-Signature-256", "sha256=00"))));
        Assert.False(PushVerification.HasCredential(PushProviders.GitHub, Headers(("X-Gitea-Signature", "00"))));
        Assert.True(PushVerification.HasCredential(PushProviders.Gitea, Headers(("X-Gitea-Signature", "00"))));
        Assert.True(PushVerification.HasCredential(PushProviders.GitLab, Headers(("X-Gitlab-Token", "t"))));
        Assert.False(PushVerification.HasCredential(PushProviders.GitLab, Headers(("X-Gitlab-Token", " "))));
    }

    [Theory]
    [InlineData(1, "p (push)")]
    [InlineData(193, null)]
    [InlineData(300, null)]
    public void ActorName_EndsInPush_AndFitsTwoHundredCharacters(int pusherLength, string? expected)
    {
        var name = PushReceiver.ActorName(new string('p', pusherLength));

        Assert.True(name.Length <= PushReceiver.MaxActorName, $"{name.Length} characters");
        Assert.EndsWith("p (push)", name, StringComparison.Ordinal);
        if (expected is not null) Assert.Equal(expected, name);
    }

    [Fact]
    public void GitHubSignature_HoldsOnlyForTheSecretAndTheExactBody()
    {
        var signed = Headers(("X-Hub-Signature-256", PushVerification.GitHubSignature(Secret, Body)));

        Assert.True(PushVerification.IsSigned(PushProviders.GitHub, signed, Body, Secret));
        Assert.False(PushVerification.IsSigned(PushProviders.GitHub, signed, Body, Secret + "x"));
        Assert.False(PushVerification.IsSigned(PushProviders.GitHub, signed, [.. Body, (byte)' '], Secret));
        Assert.False(PushVerification.IsSigned(PushProviders.GitHub, Headers(), Body, Secret));
        // The hex without its "sha256=" prefix is not GitHub's header.
        Assert.False(PushVerification.IsSigned(PushProviders.GitHub, Headers(("X-Hub-Signature-256", signed["X-Hub-Signature-256"][7..])), Body, Secret));
    }

    [Fact]
    public void OlderGitea_SignsWithABareHexHeader_WhichOnlyGiteaMaySend()
    {
        var bare = Headers(("X-Gitea-Signature", PushVerification.GitHubSignature(Secret, Body)["sha256=".Length..]));

        Assert.True(PushVerification.IsSigned(PushProviders.Gitea, bare, Body, Secret));
        Assert.False(PushVerification.IsSigned(PushProviders.GitHub, bare, Body, Secret));
    }

    [Fact]
    public void GitLab_SendsTheSecretItself()
    {
        Assert.True(PushVerification.IsSigned(PushProviders.GitLab, Headers(("X-Gitlab-Token", Secret)), Body, Secret));
        Assert.False(PushVerification.IsSigned(PushProviders.GitLab, Headers(("X-Gitlab-Token", Secret[..^1])), Body, Secret));
        Assert.False(PushVerification.IsSigned(PushProviders.GitLab, Headers(("X-Hub-Signature-256", PushVerification.GitHubSignature(Secret, Body))), Body, Secret));
    }

    [Theory]
    [InlineData(PushProviders.GitHub, "{\"ref\":\"refs/heads/main\",\"after\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"pusher\":{\"name\":\"octocat\"}}", "octocat")]
    [InlineData(PushProviders.Gitea, "{\"ref\":\"refs/heads/main\",\"after\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"pusher\":{\"login\":\"gitea\"}}", "gitea")]
    [InlineData(PushProviders.GitLab, "{\"ref\":\"refs/heads/main\",\"after\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"user_name\":\"Jane Doe\",\"user_username\":\"jane\"}", "jane")]
    public void Payload_NamesThePusher_ByEachHostsField(string provider, string json, string pusher)
    {
        var payload = PushPayload.Parse(provider, Encoding.UTF8.GetBytes(json));

        Assert.Equal(("refs/heads/main", new string('a', 40), pusher), (payload.Ref, payload.After, payload.Pusher));
        Assert.False(payload.DeletesRef);
    }

    [Fact]
    public void Payload_WithoutACommitSha_IsRefusedNamingTheField()
    {
        var error = Assert.Throws<Common.InvalidRequestException>(() => PushPayload.Parse(PushProviders.GitHub, Encoding.UTF8.GetBytes("{\"ref\":\"refs/heads/main\",\"after\":\"HEAD\"}")));

        Assert.Equal("after", error.Field);
    }

    [Fact]
    public void RefusalLog_WritesAtMostTenLinesAMinute_ThenSaysHowManyItLeftOut()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T09:00:00Z"));
        var log = new PushRejectionLog(time);
        var logger = new CountingLogger();

        for (var i = 0; i < 25; i++) log.Log(logger, "shop", "127.0.0.1", "wrong signature");
        Assert.Equal(PushRejectionLog.PerMinute, logger.Lines.Count);
        time.Advance(TimeSpan.FromMinutes(1));
        log.Log(logger, "shop", "127.0.0.1", "wrong signature");

        Assert.Contains("15 more refused deliveries", logger.Lines[^2], StringComparison.Ordinal);
        Assert.Equal(PushRejectionLog.PerMinute + 2, logger.Lines.Count);
    }

    private sealed class CountingLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}

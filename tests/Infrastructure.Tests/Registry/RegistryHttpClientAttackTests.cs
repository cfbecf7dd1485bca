using System.Text;
using ControlPanel.Core.Registries;
using ControlPanel.Infrastructure.Registry;

namespace ControlPanel.Infrastructure.Tests.Registry;

/// <summary>
/// The registry client against registries that try to take more than their answers: loopback servers standing for
/// other hosts (127.0.0.1 and localhost are different host names to the client).
/// </summary>
public sealed class RegistryHttpClientAttackTests
{
    private static readonly RegistryCredentials Credentials = new("lab", "s3cret-registry-password");
    private static readonly string Basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("lab:s3cret-registry-password"));

    [Fact]
    public async Task TokenRealmOnAnotherHost_ReceivesNoCredentials_AndTheErrorNamesItAndTheSetting()
    {
        await using var realm = new LoopbackHttpServer((_, s, ct) => LoopbackHttpServer.RespondAsync(s, 200, """{"token":"t"}""", ct));
        await using var registry = new LoopbackHttpServer((_, s, ct) => Challenge(s, $"http://localhost:{realm.Port}/token", ct));

        var ex = await Assert.ThrowsAsync<RegistryException>(() => Client().RepositoriesAsync(At(registry), Credentials, default));

        Assert.Contains($"token from localhost", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ControlPanel:Registries:AllowedTokenRealms", ex.Message, StringComparison.Ordinal);
        Assert.Empty(realm.Requests);
        Assert.Single(registry.Requests);
    }

    [Theory]
    [InlineData("localhost", true)]   // another host, listed by an Admin
    [InlineData("127.0.0.1", false)]  // the registry's own host name on another port
    public async Task TokenRealm_ListedOrOnTheRegistrysOwnHost_GetsTheCredentials_AndItsTokenIsUsed(string realmHost, bool listed)
    {
        await using var realm = new LoopbackHttpServer((r, s, ct) => r.Authorization == Basic
            ? LoopbackHttpServer.RespondAsync(s, 200, """{"token":"good-token"}""", ct)
            : LoopbackHttpServer.RespondAsync(s, 401, "{}", ct));
        await using var registry = new LoopbackHttpServer((r, s, ct) => r.Authorization == "Bearer good-token"
            ? LoopbackHttpServer.RespondAsync(s, 200, """{"repositories":["shop/api","../../admin","shop/API"]}""", ct)
            : Challenge(s, $"http://{realmHost}:{realm.Port}/token", ct));

        var repositories = await Client(listed ? [realmHost] : []).RepositoriesAsync(At(registry), Credentials, default);

        Assert.Equal(["shop/api"], repositories); // names that are not repository names are dropped
        var asked = Assert.Single(realm.Requests);
        Assert.Equal(Basic, asked.Authorization);
        Assert.Contains("scope=registry%3Acatalog%3A%2A", asked.Target, StringComparison.Ordinal);
        Assert.Equal(2, registry.Requests.Count);
    }

    [Fact]
    public async Task RedirectToAnotherHost_CarriesNoCredentials()
    {
        await using var elsewhere = new LoopbackHttpServer((_, s, ct) => LoopbackHttpServer.RespondAsync(s, 200, """{"repositories":[]}""", ct));
        await using var registry = new LoopbackHttpServer((_, s, ct) =>
            LoopbackHttpServer.RespondAsync(s, 302, "", ct, $"Location: http://localhost:{elsewhere.Port}/v2/_catalog"));

        await Client().RepositoriesAsync(At(registry), Credentials, default);

        Assert.Equal(Basic, Assert.Single(registry.Requests).Authorization);
        Assert.Null(Assert.Single(elsewhere.Requests).Authorization);
    }

    [Theory]
    [InlineData("../../v2/_catalog", "latest")]
    [InlineData("shop/../../admin", "latest")]
    [InlineData("shop%3Fx=1", "latest")]
    [InlineData("shop/api%2F..", "latest")]
    [InlineData("shop/api?n=1", "latest")]
    [InlineData("Shop/API", "latest")]
    [InlineData("shop/api", "../../../v2/_catalog")]
    [InlineData("shop/api", "latest%3F")]
    [InlineData("shop/api", ".hidden")]
    public async Task NameOutsideTheDistributionGrammar_IsRefused_AndNothingIsSent(string repository, string reference)
    {
        await using var registry = new LoopbackHttpServer((_, s, ct) => LoopbackHttpServer.RespondAsync(s, 200, """{"tags":[]}""", ct));
        var client = Client();

        var find = await Assert.ThrowsAsync<RegistryException>(() => client.FindImageAsync(At(registry), Credentials, repository, reference, default));
        if (reference == "latest") await Assert.ThrowsAsync<RegistryException>(() => client.TagsAsync(At(registry), Credentials, repository, default));

        Assert.Contains("nothing was sent", find.Message, StringComparison.Ordinal);
        Assert.Empty(registry.Requests);
    }

    [Fact]
    public async Task ManifestNamingAConfigThatIsNotADigest_IsRefused_BeforeItIsFetched()
    {
        await using var registry = new LoopbackHttpServer((_, s, ct) => LoopbackHttpServer.RespondAsync(s, 200,
            """{"config":{"digest":"../../../v2/_catalog?","size":1},"layers":[]}""", ct));

        var ex = await Assert.ThrowsAsync<RegistryException>(() => Client().FindImageAsync(At(registry), Credentials, "shop/api", "latest", default));

        Assert.Contains("not a digest", ex.Message, StringComparison.Ordinal);
        Assert.Single(registry.Requests);
    }

    [Theory]
    [InlineData(false)] // streamed until the connection closes
    [InlineData(true)]  // declared up front as Content-Length
    public async Task GigabyteAnswer_FailsNamingTheLimit_AfterReadingAtMostAboutTheLimit(bool declared)
    {
        const long gigabyte = 1L << 30;
        long written = 0;
        var done = new TaskCompletionSource();
        await using var registry = new LoopbackHttpServer(async (_, s, ct) =>
        {
            try
            {
                var head = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{(declared ? $"Content-Length: {gigabyte}\r\n" : "")}Connection: close\r\n\r\n";
                await s.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
                var chunk = new byte[64 * 1024];
                Array.Fill(chunk, (byte)' ');
                while (written < gigabyte)
                {
                    await s.WriteAsync(chunk, ct);
                    Interlocked.Add(ref written, chunk.Length);
                }
            }
            finally
            {
                done.TrySetResult();
            }
        });

        var ex = await Assert.ThrowsAsync<RegistryException>(() => Client().TagsAsync(At(registry), Credentials, "shop/api", default));

        Assert.Contains("at most 4 MiB", ex.Message, StringComparison.Ordinal);
        // The client hung up: the server's writes fail once the socket buffers are full. The bound only keeps a hang from holding the run.
        await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.InRange(Interlocked.Read(ref written), 0, 64L << 20);
    }

    private static RegistryHttpClient Client(params string[] allowedRealms) =>
        new(new HttpClient { Timeout = TimeSpan.FromSeconds(60) }, new RegistryOptions { AllowedTokenRealms = [.. allowedRealms] });

    private static RegistryDefinition At(LoopbackHttpServer server) => new("evil", $"http://127.0.0.1:{server.Port}", "lab", HasPassword: true);

    private static Task Challenge(Stream stream, string realm, CancellationToken cancellationToken) =>
        LoopbackHttpServer.RespondAsync(stream, 401, """{"errors":[{"code":"UNAUTHORIZED","message":"token needed"}]}""", cancellationToken,
            $"WWW-Authenticate: Bearer realm=\"{realm}\",service=\"evil\",scope=\"registry:catalog:*\"");
}

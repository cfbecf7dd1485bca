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

    private static RegistryHttpClient Client() => new(new HttpClient { Timeout = TimeSpan.FromSeconds(60) });

    private static RegistryDefinition At(LoopbackHttpServer server) => new("evil", $"http://127.0.0.1:{server.Port}", "lab", HasPassword: true);
}

using ControlPanel.Core.Common;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Tests.Services;

public sealed class ServiceValidationTests
{
    private static BuildSettings WithUrl(string url) => new() { RepositoryUrl = url, Branch = "main", Registry = "lab", ImageRepository = "shop/api" };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void NoRepositoryUrl_MakesAnImageOnlyService(string? url)
    {
        var valid = ServiceValidation.Validate(new BuildSettings { RepositoryUrl = url, Registry = " lab ", ImageRepository = "shop/api" }, allowLocalRepositories: false);

        Assert.Null(valid.RepositoryUrl);
        Assert.False(valid.BuildsFromSource);
        Assert.Equal(("lab", "shop/api"), (valid.Registry, valid.ImageRepository));
    }

    [Theory]
    [InlineData("https://deploy:s3cret@git.example.test/shop/api.git")]
    [InlineData("https://ghp_0123456789abcdef@github.example.test/shop/api.git")]
    [InlineData("https://glpat-0123456789abcdef@gitlab.example.test/shop/api.git")]
    [InlineData("https://0123456789abcdef0123456789abcdef01234567@git.example.test/shop/api.git")]
    public void RepositoryUrl_CarryingAPasswordOrAToken_IsRefused(string url)
    {
        var error = Assert.Throws<InvalidRequestException>(() => ServiceValidation.Validate(WithUrl(url), allowLocalRepositories: true));

        Assert.Equal("repositoryUrl", error.Field);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://shop@dev.azure.example.test/shop/api/_git/api")] // Azure DevOps names the organisation so
    [InlineData("ssh://git@git.example.test/shop/api.git")]
    [InlineData("git@git.example.test:shop/api.git")]
    [InlineData("/srv/git/api")]
    public void RepositoryUrl_WithAUserNameOnly_IsKept(string url)
    {
        Assert.Equal(url, ServiceValidation.Validate(WithUrl(url), allowLocalRepositories: true).RepositoryUrl);
    }

    [Theory]
    [InlineData("/srv/git/api")]
    [InlineData("./api")]
    [InlineData("api")]
    [InlineData("/srv/git/odd:name")]
    [InlineData("file:///srv/git/api")]
    [InlineData("FILE:///srv/git/api")]
    public void RepositoryUrl_OnThePanelsHost_IsRefusedUnlessAllowed(string url)
    {
        var error = Assert.Throws<InvalidRequestException>(() => ServiceValidation.Validate(WithUrl(url), allowLocalRepositories: false));

        Assert.Equal("repositoryUrl", error.Field);
        Assert.Contains("ControlPanel:Builds:AllowLocalRepositories", error.Message, StringComparison.Ordinal);
        Assert.Equal(url, ServiceValidation.Validate(WithUrl(url), allowLocalRepositories: true).RepositoryUrl);
    }

    [Theory]
    [InlineData("ext::sh -c touch% /tmp/pwned", "'ext::'")]
    [InlineData("fd::3", "'fd::'")]
    [InlineData("foo+bar::https://git.example.test/x", "'foo+bar::'")]
    [InlineData("custom://git.example.test/x", "'custom://'")]
    public void RepositoryUrl_RunningAProgram_IsRefusedEvenWhenLocalIsAllowed(string url, string named)
    {
        var error = Assert.Throws<InvalidRequestException>(() => ServiceValidation.Validate(WithUrl(url), allowLocalRepositories: true));

        Assert.Equal("repositoryUrl", error.Field);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://git.example.test/shop/api.git")]
    [InlineData("http://127.0.0.1:3000/shop/api.git")]
    [InlineData("git://git.example.test/shop/api.git")]
    [InlineData("ssh://git@git.example.test:2222/shop/api.git")]
    [InlineData("git@git.example.test:shop/api.git")]
    [InlineData("git.example.test:shop/api.git")]
    public void RepositoryUrl_OverTheNetwork_IsKeptWhenLocalIsRefused(string url)
    {
        Assert.Equal(url, ServiceValidation.Validate(WithUrl(url), allowLocalRepositories: false).RepositoryUrl);
    }
}

using ControlPanel.Core.Common;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Tests.Services;

public sealed class ServiceValidationTests
{
    private static BuildSettings WithUrl(string url) => new() { RepositoryUrl = url, Branch = "main", Registry = "lab", ImageRepository = "shop/api" };

    [Theory]
    [InlineData("https://deploy:s3cret@git.example.test/shop/api.git")]
    [InlineData("https://ghp_0123456789abcdef@github.example.test/shop/api.git")]
    [InlineData("https://glpat-0123456789abcdef@gitlab.example.test/shop/api.git")]
    [InlineData("https://0123456789abcdef0123456789abcdef01234567@git.example.test/shop/api.git")]
    public void RepositoryUrl_CarryingAPasswordOrAToken_IsRefused(string url)
    {
        var error = Assert.Throws<InvalidRequestException>(() => ServiceValidation.Validate(WithUrl(url)));

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
        Assert.Equal(url, ServiceValidation.Validate(WithUrl(url)).RepositoryUrl);
    }
}

using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Tests;

public class SecretMaskingTests
{
    [Fact]
    public void ARunningContainer_AServiceSpec_AReleaseDiff_AndBuildArguments_ShowOneMask()
    {
        var container = SecretMasking.FromKeyValue("DB_PASSWORD=s3cr3t").Value;
        var spec = SecretMasking.MaskSecrets(new RuntimeSpec { Environment = [new("DB_PASSWORD", "s3cr3t", Secret: true)] }).Environment[0].Value;
        var build = SecretMasking.MaskSecrets(new BuildSettings
        {
            RepositoryUrl = "https://git.example.test/shop.git", Registry = "lab", ImageRepository = "shop/api",
            BuildArgs = new Dictionary<string, string> { ["NPM_TOKEN"] = "s3cr3t" }, SecretBuildArgs = ["NPM_TOKEN"],
        }).BuildArgs["NPM_TOKEN"];
        var release = new Release
        {
            Service = "api", Number = 2, Image = "lab/api", Tag = "v2", Digest = "sha256:" + new string('a', 64), ServiceRevision = 1,
            Spec = new RuntimeSpec { Environment = [new("DB_PASSWORD", "other", Secret: true)] }, CreatedBy = "ann", CreatedAt = DateTimeOffset.UnixEpoch,
        };
        var diff = ReleaseDiff.Between(release with { Number = 1, Spec = new RuntimeSpec { Environment = [new("DB_PASSWORD", "s3cr3t", Secret: true)] } }, release);

        // A person comparing a container's environment with its service's spec sees the same mask in both.
        Assert.Equal([SecretMasking.Mask], new[] { container, spec, build }.Distinct());
        var changed = Assert.Single(diff, c => c.Field == "environment › DB_PASSWORD");
        Assert.Equal((SecretMasking.Mask, SecretMasking.Mask + RuntimeDiff.Changed), (changed.Before, changed.After));
    }

    [Theory]
    [InlineData("DB_PASSWORD")]
    [InlineData("MYSQL_ROOT_PASSWORD")]
    [InlineData("API_KEY")]
    [InlineData("apiKey")]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("SENTRY_DSN")]
    [InlineData("ConnectionStrings__Default")]
    [InlineData("PGPASS")]
    [InlineData("PGPASSWORD")]
    [InlineData("OAUTH_CLIENTSECRET")]
    [InlineData("NPM_TOKEN")]
    [InlineData("NPM_AUTHTOKEN")]
    [InlineData("GPG_PASSPHRASE")]
    public void SecretLookingKeys_AreMasked(string key)
    {
        var v = SecretMasking.FromKeyValue($"{key}=s3cr3t");
        Assert.True(v.Masked);
        Assert.Equal(SecretMasking.Mask, v.Value);
        Assert.Equal(key, v.Name);
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("MONKEY")]
    [InlineData("KEYBOARD_LAYOUT")]
    [InlineData("PORT")]
    [InlineData("PHP_FPM_PM")]
    public void OrdinaryKeys_AreShown(string key)
    {
        var v = SecretMasking.FromKeyValue($"{key}=value=with=equals");
        Assert.False(v.Masked);
        Assert.Equal("value=with=equals", v.Value);
    }

    [Fact]
    public void KeysNamedByThePanelsLabel_AreMaskedWhateverTheirName()
    {
        var stored = SecretMasking.SecretKeysFromLabel("DATABASE_URL, SMTP_URL");

        Assert.Equal(2, stored.Count);
        Assert.True(SecretMasking.FromKeyValue("DATABASE_URL=postgres://app:pw@db/app", stored).Masked);
        Assert.True(SecretMasking.FromKeyValue("SMTP_URL=smtp://u:pw@mail", stored).Masked);
        Assert.Equal("prod", SecretMasking.FromKeyValue("MODE=prod", stored).Value);
        Assert.Empty(SecretMasking.SecretKeysFromLabel(null));
    }

    [Theory]
    [InlineData("DATABASE_URL=postgres://app:s3cr3t@db.internal:5432/app", "postgres://app:" + SecretMasking.Mask + "@db.internal:5432/app")]
    [InlineData("REDIS=redis://:s3cr3t@cache/0", "redis://:" + SecretMasking.Mask + "@cache/0")]
    [InlineData("UPSTREAMS=http://a:s3cr3t@x/ https://b:also-s3cr3t@y/", "http://a:" + SecretMasking.Mask + "@x/ https://b:" + SecretMasking.Mask + "@y/")]
    public void PasswordsInsideUrls_AreMasked_TheRestStaysReadable(string pair, string shown)
    {
        var v = SecretMasking.FromKeyValue(pair);

        Assert.True(v.Masked);
        Assert.Equal(shown, v.Value);
        Assert.DoesNotContain("s3cr3t", v.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HOME_URL=https://shop.example/")]
    [InlineData("UPSTREAM=http://user@host/")]
    [InlineData("TIME=12:30")]
    public void UrlsWithoutAPassword_AreShownAsTheyAre(string pair)
    {
        var v = SecretMasking.FromKeyValue(pair);

        Assert.False(v.Masked);
        Assert.Equal(pair[(pair.IndexOf('=') + 1)..], v.Value);
    }
}

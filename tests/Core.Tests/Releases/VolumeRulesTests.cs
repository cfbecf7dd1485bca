using ControlPanel.Core.Common;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Tests.Releases;

public sealed class VolumeRulesTests
{
    private static readonly HostMountOptions AllowSrv = new() { AllowedPaths = ["/srv/shared"] };
    private static readonly string[] Sockets = ["/var/tmp/lab/node1/docker.sock"];

    [Theory]
    [InlineData("/:/host")]
    [InlineData("//:/host")]
    [InlineData("/etc/:/e")]
    [InlineData("/var/lib/docker/volumes:/v")]
    [InlineData("/var/tmp/lab:/lab")]
    [InlineData("/var/tmp/lab/node1/docker.sock:/d")]
    [InlineData("/srv/shared/../../etc:/e")]
    [InlineData("/srv/shared/./x:/e")]
    [InlineData("/srv/other:/o")]
    [InlineData("/srv/shared-not:/o")]
    [InlineData("data:/")]
    [InlineData("data:relative")]
    [InlineData("data:/d:z")]
    [InlineData("-data:/d")]
    public void RefusedVolumes_NameTheField(string volume)
    {
        var error = Assert.Throws<InvalidRequestException>(() => VolumeRules.Check(volume, AllowSrv, Sockets));
        Assert.Equal("runtime.volumes", error.Field);
    }

    [Theory]
    [InlineData("/srv/shared:/data")]
    [InlineData("/srv/shared/uploads/:/data:ro")]
    [InlineData("php_sessions:/var/lib/php/sessions")]
    [InlineData("cache.v2:/cache:rw")]
    public void NamedVolumesAndAllowedFolders_AreAccepted(string volume) => VolumeRules.Check(volume, AllowSrv, Sockets);

    [Fact]
    public void WithNothingAllowed_EveryHostPathIsRefused() =>
        Assert.Contains("none", Assert.Throws<InvalidRequestException>(() => VolumeRules.Check("/srv/shared:/d", new HostMountOptions(), Sockets)).Message, StringComparison.Ordinal);
}
